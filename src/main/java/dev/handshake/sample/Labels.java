package dev.handshake.sample;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/**
 * Raw CRM labels the sample uses. The mapped ones are copies of the shipped defaults in
 * conf/local.yaml (a test checks each is mapped there); the UNMAPPED ones are deliberately listed
 * nowhere in the configuration so the audit must report them.
 */
final class Labels {
    private Labels() {}

    // Lead status, by the canonical stage conf/local.yaml maps them to.
    static final String[] STATUS_CAPTURED = {"New", "Open - Not Contacted"};
    static final String[] STATUS_MQL = {"Marketing Qualified", "MQL"};
    static final String[] STATUS_ASSIGNED = {"Assigned"};
    static final String[] STATUS_WORKED = {"Working - Contacted", "Working"};
    static final String[] STATUS_SAL = {"Sales Accepted", "Qualified"};
    static final String[] STATUS_CONVERTED = {"Converted"};
    static final String[] STATUS_REJECTED = {"Unqualified", "Disqualified"};
    static final String STATUS_NURTURE = "Nurture";
    static final String UNMAPPED_STATUS = "Stalled";

    /** Opportunity stages in pipeline order (conf/local.yaml lists them in this order). */
    static final String[] OPEN_STAGES = {"Prospecting", "Qualification", "Needs Analysis",
            "Value Proposition", "Proposal/Price Quote", "Negotiation/Review"};
    static final String STAGE_WON = "Closed Won";
    static final String STAGE_LOST = "Closed Lost";
    static final String UNMAPPED_STAGE = "Verbal Commit";

    // Rejection / loss reasons by configured category.
    static final String[] REASON_QUALIFICATION = {"Bad Fit", "No Budget", "No Authority", "No Need",
            "No Timeline", "Student/Vendor", "Duplicate"};
    static final String[] REASON_TIMING = {"No Response", "Not Ready"};
    static final String[] REASON_INFORMATION = {"Missing Data", "Wrong Contact"};
    static final String[] REASON_COMMERCIAL = {"Lost to Competitor", "Price", "No Decision"};
    static final String UNMAPPED_REASON = "Other - see notes";

    // User roles by canonical role.
    static final String[] ROLE_SDR = {"Sales Development Representative", "SDR", "BDR"};
    static final String[] ROLE_AE = {"Account Executive", "AE"};
    static final String[] ROLE_MANAGER = {"Sales Manager", "Sales Director", "VP Sales"};
    static final String[] ROLE_REVOPS = {"Revenue Operations", "RevOps", "Sales Operations"};
    static final String[] ROLE_FINANCE = {"Finance", "Billing"};
    static final String[] ROLE_MARKETING = {"Marketing", "Marketing Operations", "Demand Generation"};
    static final String[] ROLE_SYSTEM = {"Integration User", "Automated Process"};
    static final String UNMAPPED_ROLE = "Solutions Engineer";


    /**
     * The label as typed by a careless admin in about {@code rate} of rows: upper case, or lower
     * case with surrounding and doubled spaces. The configuration matches ignoring both, so the
     * label stays mapped.
     */
    static Column sloppy(Column label, Column u, double rate) {
        Column spaced = concat(lit("  "), regexp_replace(lower(label), " ", "  "), lit(" "));
        return when(u.lt(lit(rate / 2)), upper(label))
                .when(u.lt(lit(rate)), spaced)
                .otherwise(label);
    }
}
