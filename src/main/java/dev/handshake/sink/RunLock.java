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
 * with the owner's name. A lock older than the configured age may belong to a dead run; it is
 * broken only when asked ({@code --break-stale-lock}), never silently.
 */
public final class RunLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String LOCKS = "_locks";

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
            // Two attempts: the holder may finish between our failed create and reading its file.
            for (int attempt = 0; attempt < 2; attempt++) {
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
                if (stale && breakStale) {
                    LOG.warn("breaking stale lock {} held by {} ({} minutes old, older than "
                            + "output.lock_stale_after_minutes={})", file, holder.description(),
                            age.toMinutes(), staleAfter.toMinutes());
                    fs.delete(file, false);
                    continue;
                }
                throw new AuditException(AuditException.Code.LOCKED, "another run holds the lock for as_of="
                        + asOf + " (" + file + "): " + holder.description() + ", " + age.toMinutes()
                        + " minutes ago. " + (stale
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

    private record Holder(Owner owner, Instant since, String description) {}

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
