package dev.handshake.sample;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/**
 * Sizes and id layout of the small dimension tables (users, campaigns), derived from N so that a
 * lead can name its owner or campaign arithmetically, without a join. Users are numbered in blocks
 * by role (U00001 upwards); campaign k (C0001 = k 0) has channel {@code CHANNELS[k % 5]}.
 */
record SampleDirectory(int sdrs, int aes, int managers, int campaigns) {
    static final String[] CHANNELS = {"paid_search", "paid_social", "events", "partner", "content"};
    static final int SYSTEMS = 2;
    static final int REVOPS = 3;
    static final int FINANCE = 3;
    static final int MARKETING = 4;
    /** One user with a role the configuration does not map. */
    static final int UNMAPPED = 1;

    /** Queues own leads before assignment; they are not users, so never a "named owner". */
    static final String QUEUE_MARKETING = "Q-MARKETING";
    static final String QUEUE_INBOUND = "Q-INBOUND";

    static SampleDirectory forLeads(long leads) {
        int sdrs = clamp(ceilDiv(leads, 2_500), 4, 800);
        int aes = clamp(ceilDiv(leads, 4_000), 4, 600);
        int campaigns = CHANNELS.length * clamp(ceilDiv(leads, 20_000), 4, 1_000);
        return new SampleDirectory(sdrs, aes, Math.max(2, (sdrs + aes) / 8), campaigns);
    }

    int systemStart() {
        return 1;
    }

    int revopsStart() {
        return systemStart() + SYSTEMS;
    }

    int financeStart() {
        return revopsStart() + REVOPS;
    }

    int marketingStart() {
        return financeStart() + FINANCE;
    }

    int managerStart() {
        return marketingStart() + MARKETING;
    }

    int sdrStart() {
        return managerStart() + managers;
    }

    int aeStart() {
        return sdrStart() + sdrs;
    }

    int unmappedStart() {
        return aeStart() + aes;
    }

    int users() {
        return unmappedStart() + UNMAPPED - 1;
    }

    static Column userId(Column number) {
        return Tables.id("U", 5, number);
    }

    /** The user of a role block chosen by a hash draw. */
    Column sdr(Column hash) {
        return inBlock(sdrStart(), sdrs, hash);
    }

    Column ae(Column hash) {
        return inBlock(aeStart(), aes, hash);
    }

    /** An AE other than {@code ae(hash)}: used for re-owning, which must change the owner. */
    Column otherAe(Column hash, Column otherHash) {
        Column first = pmod(hash, lit((long) aes));
        Column shift = lit(1L).plus(pmod(otherHash, lit((long) aes - 1)));
        return userId(lit((long) aeStart()).plus(pmod(first.plus(shift), lit((long) aes))));
    }

    Column manager(Column hash) {
        return inBlock(managerStart(), managers, hash);
    }

    Column revops(Column hash) {
        return inBlock(revopsStart(), REVOPS, hash);
    }

    Column marketing(Column hash) {
        return inBlock(marketingStart(), MARKETING, hash);
    }

    Column system(Column hash) {
        return inBlock(systemStart(), SYSTEMS, hash);
    }

    private static Column inBlock(int start, int size, Column hash) {
        return userId(lit((long) start).plus(pmod(hash, lit((long) size))));
    }

    static Column campaignId(Column index) {
        return Tables.id("C", 4, index.plus(lit(1L)));
    }

    /** Events campaigns alternate between webinars and trade shows. */
    static Column isWebinar(Column index) {
        return pmod(index.divide(lit(CHANNELS.length)).cast("long"), lit(2L)).equalTo(lit(0L));
    }

    /** The lead_source a campaign's leads carry: it fits the campaign's channel. */
    static Column leadSourceOf(Column channel, Column index) {
        return when(channel.equalTo(lit(0)), lit("Paid Search"))
                .when(channel.equalTo(lit(1)), lit("Paid Social"))
                .when(channel.equalTo(lit(2)), when(isWebinar(index), lit("Webinar")).otherwise(lit("Trade Show")))
                .when(channel.equalTo(lit(3)), lit("Partner"))
                .otherwise(lit("Content Syndication"));
    }

    private static int ceilDiv(long a, long b) {
        return (int) Math.min(Integer.MAX_VALUE, (a + b - 1) / b);
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
