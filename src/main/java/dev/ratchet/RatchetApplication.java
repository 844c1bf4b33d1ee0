package dev.ratchet;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of a Ratchet node. */
@SpringBootApplication
public class RatchetApplication {

    public static void main(String[] args) {
        SpringApplication.run(RatchetApplication.class, args);
    }
}
