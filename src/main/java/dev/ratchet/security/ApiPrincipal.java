package dev.ratchet.security;

import java.util.List;
import java.util.Objects;

/**
 * Who made a request and what it may do: the grants of its credential. Immutable.
 *
 * @param name what logs and metrics call it: {@code admin-token}, {@code token:<id>}, {@code cert:<subject>}
 *        or {@code anonymous}; never a secret
 * @param grants what it may do (see {@link Grant})
 */
public record ApiPrincipal(String name, List<Grant> grants) {

    public ApiPrincipal {
        Objects.requireNonNull(name, "name");
        grants = List.copyOf(grants);
    }

    /** The holder of {@code ratchet.admin-token}. */
    public static ApiPrincipal adminToken() {
        return new ApiPrincipal("admin-token", List.of(Grant.ADMIN));
    }

    /** True when one of the grants is {@code admin}. */
    public boolean isAdmin() {
        return grants.stream().anyMatch(Grant::isAdmin);
    }

    /** True when some grant lets {@code access} touch {@code path}. */
    public boolean may(Grant.Resource resource, Grant.Access access, String path) {
        return grants.stream().anyMatch(g -> g.covers(resource, access, path));
    }

    /** True when some single grant covers everything under {@code prefix}. */
    public boolean mayTree(Grant.Resource resource, Grant.Access access, String prefix) {
        return grants.stream().anyMatch(g -> g.coversTree(resource, access, prefix));
    }

    /** True when it may do anything at all (it is then allowed to see the cluster's shape). */
    public boolean hasAnyGrant() {
        return !grants.isEmpty();
    }

    @Override
    public String toString() {
        return name;
    }
}
