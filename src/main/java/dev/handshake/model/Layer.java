package dev.handshake.model;

/** The five layers of the revenue handshake, in the order the story travels (section 5). */
public enum Layer {
    CAPTURE, CRM_STAGE_OWNERSHIP, QUALIFICATION_HANDOFF, WAREHOUSE_LOGIC, FINANCE_NORMALIZATION
}
