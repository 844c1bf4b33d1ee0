package dev.ratchet.bench.ratis;

import java.io.File;
import java.io.IOException;
import java.util.List;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;

/**
 * One Ratis peer in its own JVM, started by {@link RatisCluster}. Ratis defaults everywhere (gRPC
 * transport without TLS, segmented durable RaftLog with its default sync settings, no snapshots)
 * except: the storage directory, the loopback address and port, and the read option the driver
 * passes (see the README). The process lives until its standard input reaches end-of-file — the
 * driver closes it, or the OS does when the driver dies — then closes the server and exits.
 *
 * <p>Arguments: {@code <index> <layout> <storageDir> <readOption>}, where layout is
 * {@link ClusterLayout#encode()}'s form and readOption is Ratis' {@code DEFAULT} or {@code LINEARIZABLE}.
 */
public final class RatisPeerMain {

    /** Printed once the server has started, for the peer's log. */
    static final String READY_LINE = "ratis-peer-ready";

    private RatisPeerMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: RatisPeerMain <index> <group-uuid>@<port>,... <storageDir> DEFAULT|LINEARIZABLE");
            System.exit(2);
        }
        int index = Integer.parseInt(args[0]);
        ClusterLayout layout = ClusterLayout.parse(args[1]);
        if (index < 0 || index >= layout.ports().size()) {
            throw new IllegalArgumentException("peer index " + index + " outside the layout " + args[1]);
        }
        RaftServerConfigKeys.Read.Option readOption = RaftServerConfigKeys.Read.Option.valueOf(args[3]);

        RaftProperties properties = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(properties, List.of(new File(args[2])));
        GrpcConfigKeys.Server.setHost(properties, ClusterLayout.HOST);
        GrpcConfigKeys.Server.setPort(properties, layout.ports().get(index));
        RaftServerConfigKeys.Read.setOption(properties, readOption);

        RaftServer server = RaftServer.newBuilder()
                .setServerId(ClusterLayout.peerId(index))
                .setGroup(layout.group())
                .setStateMachine(new KvStateMachine())
                .setProperties(properties)
                .build();
        server.start();
        System.out.println(READY_LINE + " " + ClusterLayout.peerId(index) + " "
                + ClusterLayout.HOST + ":" + layout.ports().get(index)
                + " readOption=" + readOption);
        System.out.flush();
        // Any byte or EOF on stdin: the driver is done (or gone).
        while (System.in.read() != -1) {
            // keep waiting for end-of-file
        }
        server.close();
        System.exit(0);
    }
}
