package dev.ratchet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ratchet.security.Grant.Access;
import dev.ratchet.security.Grant.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The grant language and what a principal's grants cover. */
class GrantTest {

    @Test
    void grantsParseAndPrintBack() {
        for (String text : List.of("admin", "kv:read:app/", "kv:write:", "artifacts:readwrite:builds/x")) {
            assertThat(Grant.parse(text).toString()).isEqualTo(text);
        }
        assertThat(Grant.parse(" admin ").isAdmin()).isTrue();
        for (String bad : List.of("", "root", "kv:read", "kv:delete:a", "secrets:read:", "kv:read:/abs",
                "kv:read:a//b", "kv:read:../x", "kv:read:a\u0000")) {
            assertThatThrownBy(() -> Grant.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aGrantCoversItsPrefixItsResourceAndItsAccessOnly() {
        Grant reader = Grant.parse("kv:read:app/");
        assertThat(reader.covers(Resource.KV, Access.READ, "app/config")).isTrue();
        assertThat(reader.covers(Resource.KV, Access.WRITE, "app/config")).isFalse();
        assertThat(reader.covers(Resource.KV, Access.READ, "apple")).isFalse();
        assertThat(reader.covers(Resource.KV, Access.READ, "app")).isFalse();
        assertThat(reader.covers(Resource.ARTIFACTS, Access.READ, "app/config")).isFalse();
        Grant writeOnly = Grant.parse("artifacts:write:builds/");
        assertThat(writeOnly.covers(Resource.ARTIFACTS, Access.WRITE, "builds/1.jar")).isTrue();
        assertThat(writeOnly.covers(Resource.ARTIFACTS, Access.READ, "builds/1.jar")).isFalse();
        assertThat(Grant.ADMIN.covers(Resource.ARTIFACTS, Access.WRITE, "anything")).isTrue();
    }

    @Test
    void aTreeIsCoveredOnlyWhenItLiesInsideOneGrant() {
        ApiPrincipal p = new ApiPrincipal("p", List.of(Grant.parse("kv:read:app/")));
        assertThat(p.mayTree(Resource.KV, Access.READ, "app/")).isTrue();
        assertThat(p.mayTree(Resource.KV, Access.READ, "app/sub/")).isTrue();
        assertThat(p.mayTree(Resource.KV, Access.READ, "")).isFalse();
        assertThat(p.mayTree(Resource.KV, Access.READ, "ap")).isFalse();
        assertThat(p.hasAnyGrant()).isTrue();
        assertThat(p.isAdmin()).isFalse();
        assertThat(new ApiPrincipal("nobody", List.of()).hasAnyGrant()).isFalse();
    }
}
