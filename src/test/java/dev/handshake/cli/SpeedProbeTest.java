package dev.handshake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpeedProbeTest {
    // Expected checksums computed outside Java (xorshift64 from 0x9E3779B97F4A7C15, values sorted
    // as signed 64-bit integers, folded as sum * 31 + value with 64-bit wrap-around). With five
    // values the sorted array is -2586341971585708627, 3236705911238380268, 3485510186621062260,
    // 7273575876580499574, 8865281517519135030.
    @Test
    void workIsTheSameFixedComputationEverywhere() {
        assertEquals(-2586341971585708627L, SpeedProbe.work(1));
        assertEquals(7466556486117686197L, SpeedProbe.work(5));
        assertEquals(1865111356607934598L, SpeedProbe.work(1000));
    }

    @Test
    void probeTimesTheFullWorkload() {
        double seconds = SpeedProbe.seconds();
        assertTrue(seconds > 0 && seconds < 60, "probe took " + seconds + " s");
    }
}
