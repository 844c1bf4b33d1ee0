package dev.ratchet;

import dev.ratchet.cli.RatchetCtl;
import dev.ratchet.recovery.RecoveryCommand;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Entry point of the jar. With no subcommand (the usual case, any {@code --property=value} arguments)
 * it starts a Ratchet node. {@code recovery ...} runs an offline recovery command on a stopped node's
 * data directory instead ({@link RecoveryCommand}), and {@code ctl ...} is the API client ratchetctl
 * ({@link RatchetCtl}); both exit with their command's code without starting Spring.
 */
@SpringBootApplication
public class RatchetApplication {

    public static void main(String[] args) {
        if (args.length > 0 && "recovery".equals(args[0])) {
            int code = RecoveryCommand.execute(Arrays.copyOfRange(args, 1, args.length),
                    new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                    new PrintWriter(System.err, true, StandardCharsets.UTF_8));
            System.exit(code);
        }
        if (args.length > 0 && "ctl".equals(args[0])) {
            int code = RatchetCtl.execute(Arrays.copyOfRange(args, 1, args.length),
                    new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                    new PrintWriter(System.err, true, StandardCharsets.UTF_8), System.getenv());
            System.exit(code);
        }
        SpringApplication.run(RatchetApplication.class, args);
    }
}
