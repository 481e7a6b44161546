package dev.handshake.jdbc;

import java.util.Optional;

/**
 * Where secrets come from at connection time. Configuration only names an environment variable
 * (or a file); the value is read here, handed to the driver, and kept nowhere else.
 */
@FunctionalInterface
public interface SecretSource {
    Optional<String> env(String name);

    static SecretSource system() {
        return name -> Optional.ofNullable(System.getenv(name)).filter(v -> !v.isEmpty());
    }
}
