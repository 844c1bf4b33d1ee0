/**
 * Checks of what ships Ratchet rather than Ratchet itself: the Docker image recipe, the Helm chart
 * (rendered by Helm's own engine, validated against the Kubernetes schemas) and the GitLab pipeline,
 * all without Docker, a cluster or a GitLab server. The npm tools they use live in {@code tools/node}
 * and are installed by {@code tools/test_prereqs.sh}.
 */
package dev.ratchet.deploy;
