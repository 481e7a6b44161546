package dev.handshake.audit;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.arrays_overlap;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;

import dev.handshake.config.LabelMapping;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The users table read as a role assignment (docs/coverage.md): its key is (user_id, role), so a
 * user id may have several rows, one per role (an SDR who also carries deals as a sales rep). The
 * rule, the one a RevOps analyst applies to such exports: a user holds every role it has a row for.
 * It receives a handoff when any of its roles is a receiving role, and is automated (SYSTEM) only
 * when SYSTEM is its one role. One row per user id, so joining it never multiplies rows.
 */
public final class UserRoles {
    /** Starts the name of every internal column of this class (Deequ's COL_PREFIX), so none collides. */
    private static final String PREFIX = "__roles_";
    private static final String ROLE_COUNT = PREFIX + "n";
    private UserRoles() {}

    /**
     * One row per user id: {@code userColumn} and {@code rolesColumn}, the set of its canonical
     * roles (empty when none of its role labels is mapped).
     */
    public static Dataset<Row> of(Dataset<Row> users, LabelMapping roles, String userColumn, String rolesColumn) {
        return users.groupBy(col("user_id").as(userColumn)).agg(collect_set(roles.map(col("role"))).as(rolesColumn));
    }

    /** User ids with rows for more than one role: a fact the run reports, not a conflict. */
    public static long multiRoleUsers(Dataset<Row> users) {
        return users.groupBy(col("user_id"))
                .agg(org.apache.spark.sql.functions.count_distinct(col("role")).as(ROLE_COUNT))
                .filter(col(ROLE_COUNT).gt(1)).count();
    }

    /** The sentence audit_run records when some user ids hold several roles; empty when none does. */
    public static java.util.Optional<SkippedFigure> note(long multiRole) {
        return multiRole == 0 ? java.util.Optional.empty() : java.util.Optional.of(new SkippedFigure("users with several roles",
                multiRole + " user id(s) have rows for more than one role: each holds all of them (receives a handoff"
                        + " for any of its roles; automated only when SYSTEM is its one role)"));
    }

    /** Whether the roles hold any of {@code wanted}; false for a user not in the table. */
    public static Column holdsAny(Column roles, List<String> wanted) {
        if (wanted.isEmpty()) {
            return lit(false);
        }
        return coalesce(arrays_overlap(roles, array(wanted.stream().map(w -> lit(w)).toArray(Column[]::new))),
                lit(false));
    }

    /** Whether SYSTEM is the user's one role; false for a user not in the table. */
    public static Column onlySystem(Column roles) {
        return coalesce(array_contains(roles, "SYSTEM").and(size(roles).equalTo(1)), lit(false));
    }
}
