package dev.handshake.sample;

import dev.handshake.testing.SharedSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Samples generated once per test JVM and shared by the sample test classes: generation costs
 * tens of seconds, the checks on it a second or two each.
 */
final class SampleFixture {
    /** Small, and a multiple of 1000 so every kind block is complete. */
    static final long LEADS = 3_000;
    static final long SEED = 11;
    static final long OTHER_SEED = 12;

    record Generated(SampleSpec spec, Manifest manifest) {
        Path dir() {
            return spec.out();
        }

        Path table(String name) {
            return spec.out().resolve(name);
        }
    }

    private static final Map<String, Generated> SAMPLES = new HashMap<>();
    private static Path root;

    private SampleFixture() {}

    /** The main sample: N = 3000, seed 11. */
    static Generated main() {
        return get("main", SEED);
    }

    /** The same spec generated again into another directory. */
    static Generated again() {
        return get("again", SEED);
    }

    /** Same N, another seed. */
    static Generated otherSeed() {
        return get("other", OTHER_SEED);
    }

    private static synchronized Generated get(String name, long seed) {
        return SAMPLES.computeIfAbsent(name, n -> {
            SampleSpec spec = new SampleSpec(root().resolve(n), LEADS, seed);
            return new Generated(spec, SampleGenerator.generate(SharedSpark.get(), spec));
        });
    }

    private static Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("handshake-sample-test");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path dir = root;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
        }
        return root;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort at JVM exit: a leftover temp directory is harmless.
        }
    }
}
