package dev.handshake.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Stops the shared SparkSession once every test of the JVM has run. Left to Spark's shutdown hook,
 * the stop ran after System.exit and could outlast Surefire's exit timeout, which then killed the
 * fork with an error in the build log.
 */
public final class SparkStopper implements LauncherSessionListener {
    @Override
    public void launcherSessionClosed(LauncherSession session) {
        SharedSpark.stopIfStarted();
    }
}
