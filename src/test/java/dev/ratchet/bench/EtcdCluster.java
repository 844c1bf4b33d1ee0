package dev.ratchet.bench;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.trust.Certificates;
import dev.ratchet.trust.NodeIdentity;
import dev.ratchet.trust.TrustRoot;
import dev.ratchet.trust.TrustSettings;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * The benchmark's reference peer: a 3-member etcd cluster (Debian's {@code etcd-server}, 3.4) on loopback,
 * configured as a production etcd would be for this comparison: peer traffic over mutual TLS under a CA
 * minted here with the same key type and code as Ratchet's roots, default fsync and snapshot settings,
 * clients over plain HTTP (as the benchmark reaches Ratchet). Started and stopped by the benchmark's main
 * thread; not thread-safe.
 */
final class EtcdCluster implements AutoCloseable {

    /** One running member: its name, client URL and process. */
    record Member(String name, int clientPort, Process process) {
        URI url(String path) {
            return URI.create("http://127.0.0.1:" + clientPort + path);
        }
    }

    private final Path root;
    private final List<Member> members = new ArrayList<>();

    private EtcdCluster(Path root) {
        this.root = root;
    }

    /**
     * Starts {@code size} members under {@code root} and waits until they answer.
     *
     * @throws IOException if {@code etcd} is not installed or a member does not start
     */
    static EtcdCluster start(Path root, int size, EtcdClient client) throws IOException {
        String binary = etcdBinary();
        Files.createDirectories(root);
        EtcdCluster cluster = new EtcdCluster(root);
        try {
            cluster.launch(binary, size);
            cluster.awaitLeader(client, Duration.ofSeconds(60));
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    List<Member> members() {
        return List.copyOf(members);
    }

    /** The member that leads now (asks each member's status until one names itself the leader). */
    Member awaitLeader(EtcdClient client, Duration timeout) throws IOException {
        java.util.concurrent.atomic.AtomicReference<Member> leader = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            org.awaitility.Awaitility.await("an etcd leader").atMost(timeout).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        for (Member m : members) {
                            if (!m.process().isAlive()) {
                                throw new IOException("etcd member " + m.name() + " exited; see "
                                        + root.resolve(m.name() + ".log"));
                            }
                            if (client.leads(m)) {
                                leader.set(m);
                                return true;
                            }
                        }
                        return false;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new IOException("no etcd leader within " + timeout + "; logs in " + root, e);
        }
        return leader.get();
    }

    private void launch(String binary, int size) throws IOException {
        SecureRandom random = new SecureRandom();
        TrustSettings trust = TrustSettings.defaults();
        TrustRoot ca = Certificates.newRoot(trust, Instant.now(), random);
        Path caFile = root.resolve("ca.pem");
        writePem(caFile, ca.certificate());
        int[] client = new int[size];
        int[] peer = new int[size];
        StringBuilder initial = new StringBuilder();
        for (int i = 0; i < size; i++) {
            client[i] = LocalCluster.freePort();
            peer[i] = LocalCluster.freePort();
            initial.append(i == 0 ? "" : ",").append("e").append(i + 1).append("=https://127.0.0.1:").append(peer[i]);
        }
        for (int i = 0; i < size; i++) {
            String name = "e" + (i + 1);
            KeyPair keys = trust.keyType().generate(random);
            X509Certificate leaf = Certificates.newLeaf(ca, new NodeIdentity(name, List.of("127.0.0.1")),
                    keys.getPublic(), Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)), random);
            Path cert = root.resolve(name + ".pem");
            Path key = root.resolve(name + "-key.pem");
            writePem(cert, leaf);
            // PKCS#8, which Go reads for every key type (BC's default "EC PRIVATE KEY" form it refuses).
            writePem(key, new JcaPKCS8Generator(keys.getPrivate(), null).generate());
            List<String> cmd = List.of(binary, "--name", name, "--data-dir", root.resolve(name + ".etcd").toString(),
                    "--listen-client-urls", "http://127.0.0.1:" + client[i],
                    "--advertise-client-urls", "http://127.0.0.1:" + client[i],
                    "--listen-peer-urls", "https://127.0.0.1:" + peer[i],
                    "--initial-advertise-peer-urls", "https://127.0.0.1:" + peer[i],
                    "--initial-cluster", initial.toString(), "--initial-cluster-state", "new",
                    "--initial-cluster-token", "ratchet-bench-" + root.getFileName(),
                    "--peer-client-cert-auth", "--peer-trusted-ca-file", caFile.toString(),
                    "--peer-cert-file", cert.toString(), "--peer-key-file", key.toString(),
                    "--log-level", "warn");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve(name + ".log").toFile())).start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
            members.add(new Member(name, client[i], p));
        }
    }

    /** Stops every member (SIGTERM, then SIGKILL after 10 s). */
    @Override
    public void close() {
        for (Member m : members) {
            m.process().destroy();
        }
        for (Member m : members) {
            try {
                if (!m.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    m.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                m.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String etcdBinary() throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, "etcd");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IOException("etcd is not installed: tools/bench.sh installs Debian's etcd-server "
                + "(apt-get install etcd-server), or leave the etcd part out (parts=...)");
    }

    private static void writePem(Path file, Object pem) throws IOException {
        try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(pem);
        }
    }
}
