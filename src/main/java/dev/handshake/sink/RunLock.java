package dev.handshake.sink;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handshake.AuditException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run at a time per output root and {@code as_of}: a lock file {@code ROOT/_locks/as_of=D}
 * naming its owner, created atomically and removed when the run ends. A second run refuses
 * with the owner's name. A lock older than the configured age, or whose process is gone from
 * this host, may belong to a dead run; it is broken only when asked ({@code --break-stale-lock}),
 * never silently, and by one run at a time.
 */
public final class RunLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String LOCKS = "_locks";
    private static final long BREAKER_STALE_SECONDS = 60;

    /** Who holds a lock; the lock file's content. */
    public record Owner(String host, long pid, String runId, String startedAt) {
        public Owner {
            requireNonNull(host, "host is null");
            requireNonNull(runId, "runId is null");
            requireNonNull(startedAt, "startedAt is null");
        }

        /** This process, for a run starting now. */
        public static Owner of(String runId, Instant startedAt) {
            return new Owner(hostName(), ProcessHandle.current().pid(), runId, startedAt.toString());
        }

        String describe() {
            return "run " + runId + " on host " + host + ", pid " + pid + ", started " + startedAt;
        }
    }

    private final FileSystem fs;
    private final Path file;
    private final Owner owner;

    private RunLock(FileSystem fs, Path file, Owner owner) {
        this.fs = fs;
        this.file = file;
        this.owner = owner;
    }

    /**
     * Takes the lock for {@code asOf} under {@code root}, or refuses with {@link AuditException.Code#LOCKED}.
     *
     * @param staleAfter age after which a held lock may be broken with {@code breakStale}
     */
    public static RunLock acquire(SparkSession spark, String root, LocalDate asOf, Owner owner,
                                  Duration staleAfter, boolean breakStale) {
        try {
            Path rootPath = new Path(requireNonNull(root, "root is null"));
            FileSystem fs = rootPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
            Path file = new Path(new Path(fs.makeQualified(rootPath), LOCKS), "as_of=" + asOf);
            byte[] content = JSON.writeValueAsBytes(owner);
            // A few attempts: the holder may finish between our failed create and reading its
            // file, or another run may break a stale lock at the same time as we do.
            for (int attempt = 0; attempt < 4; attempt++) {
                if (create(fs, file, content)) {
                    LOG.info("lock {} taken by run {}", file, owner.runId());
                    return new RunLock(fs, file, owner);
                }
                Holder holder = holder(fs, file);
                if (holder == null) {
                    continue;
                }
                Duration age = Duration.between(holder.since(), Instant.now());
                boolean stale = age.compareTo(staleAfter) > 0;
                boolean dead = holder.deadOnThisHost();
                if ((stale || dead) && breakStale) {
                    LOG.warn("breaking the lock {} held by {} ({})", file, holder.description(), dead
                            ? "its process is no longer running on this host"
                            : age.toMinutes() + " minutes old, older than output.lock_stale_after_minutes="
                                    + staleAfter.toMinutes());
                    breakLock(fs, file, holder);
                    continue;
                }
                throw new AuditException(AuditException.Code.LOCKED, "another run holds the lock for as_of="
                        + asOf + " (" + file + "): " + holder.description() + ", " + age.toMinutes()
                        + " minutes ago. " + (dead
                        ? "Its process is no longer running on this host: rerun with --break-stale-lock"
                        : stale
                        ? "It is older than output.lock_stale_after_minutes (" + staleAfter.toMinutes()
                                + "): if that run is dead, rerun with --break-stale-lock"
                        : "Wait for it to finish; if it is dead, remove the lock file or, once it is older than "
                                + "output.lock_stale_after_minutes (" + staleAfter.toMinutes()
                                + "), rerun with --break-stale-lock"));
            }
            throw new AuditException(AuditException.Code.LOCKED, "could not take the lock " + file
                    + ": another run keeps taking it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Owner owner() {
        return owner;
    }

    /** Removes the lock if it is still ours (a broken lock may have been taken by another run since). */
    @Override
    public void close() {
        try {
            Holder holder = holder(fs, file);
            if (holder != null && holder.owner() != null && owner.runId().equals(holder.owner().runId())) {
                fs.delete(file, false);
            } else {
                LOG.warn("lock {} is no longer held by run {}; left as it is", file, owner.runId());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates the file only if absent, atomically. Hadoop's local file system checks and then
     * creates, so two local runs could both win; java.nio's create is one O_EXCL system call.
     * HDFS's create without overwrite is atomic at the NameNode.
     */
    private static boolean create(FileSystem fs, Path file, byte[] content) throws IOException {
        fs.mkdirs(file.getParent());
        if ("file".equals(fs.getUri().getScheme())) {
            java.nio.file.Path local = java.nio.file.Path.of(file.toUri());
            try {
                Files.write(local, content, java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        }
        try (OutputStream out = fs.create(file, false)) {
            out.write(content);
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        }
    }

    /**
     * Removes a lock held by {@code stale}, one breaker at a time: the right to break is a file
     * created only if absent, named after the lock and its holder. Its winner checks the lock still
     * names that holder before deleting it, so a lock another breaker has just taken is never
     * deleted; everyone then races for the lock itself with a create-if-absent.
     */
    private static void breakLock(FileSystem fs, Path file, Holder stale) throws IOException {
        Path breaker = new Path(file.getParent(), file.getName() + ".break-" + stale.key());
        if (!create(fs, breaker, new byte[0])) {
            Holder other = holder(fs, breaker);
            // A breaker lives milliseconds; one a minute old was left by a killed run.
            if (other != null && Duration.between(other.since(), Instant.now()).toSeconds() > BREAKER_STALE_SECONDS) {
                fs.delete(breaker, false);
            }
            return;
        }
        try {
            Holder now = holder(fs, file);
            if (now != null && now.key().equals(stale.key())) {
                fs.delete(file, false);
            }
        } finally {
            fs.delete(breaker, false);
        }
    }

    private record Holder(Owner owner, Instant since, String description) {
        /** Identifies the holding: its run id, or for an unreadable file its write time. */
        String key() {
            return owner == null ? "unreadable-" + since.toEpochMilli() : owner.runId();
        }

        /** Held by a process of this host that no longer runs (a pid is reused only after it is gone). */
        boolean deadOnThisHost() {
            return owner != null && owner.host().equals(hostName()) && owner.pid() != ProcessHandle.current().pid()
                    && ProcessHandle.of(owner.pid()).map(p -> !p.isAlive()).orElse(true);
        }
    }

    /** The current holder, or null when the lock is gone. */
    private static Holder holder(FileSystem fs, Path file) throws IOException {
        Instant modified;
        try {
            modified = Instant.ofEpochMilli(fs.getFileStatus(file).getModificationTime());
        } catch (java.io.FileNotFoundException e) {
            return null;
        }
        try (InputStream in = fs.open(file)) {
            Owner owner = JSON.readValue(in, Owner.class);
            return new Holder(owner, Instant.parse(owner.startedAt()), owner.describe());
        } catch (java.io.FileNotFoundException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            // Unreadable (being written, or edited by hand): its age is the file's.
            return new Holder(null, modified, "an unreadable lock file written at " + modified);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
