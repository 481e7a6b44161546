"""Nightly handshake-audit on Airflow: one task per night, --as-of from the DAG run's logical date.

What to edit: HANDSHAKE_HOME (where the repository or its jobs/ and target/ are deployed on the
worker), CONFIG, MASTER, START_DATE (the first night to audit) and the schedule's time.

The data-interval timetable makes the logical date the start of the interval, i.e. the night
that just ended: the run at 02:30 UTC on 2026-07-01 has ds = 2026-06-30 and audits that night.
catchup=True creates one run per missed night since START_DATE, oldest first; max_active_runs=1
and depends_on_past=True keep them in order, so drift is always against the previous night and a
failed night stops the nights after it until it is fixed (the same as `audit --from/--to`). A
night that already succeeded is simply rerun and replaced as one unit.

Exit codes of jobs/run-audit.sh: 3 (input contract) and 2 (configuration) will fail again on
retry; 5 means another run holds the night's lock (a retry later is right); 4 is the band alert
of --fail-on-band, raised only after the night's tables are written.
"""
from datetime import timedelta

import pendulum
from airflow import DAG
from airflow.timetables.interval import CronDataIntervalTimetable

try:  # Airflow 3
    from airflow.providers.standard.operators.bash import BashOperator
except ImportError:  # Airflow 2
    from airflow.operators.bash import BashOperator

HANDSHAKE_HOME = "/opt/handshake-audit"
CONFIG = "/etc/handshake-audit/cluster.yaml"
MASTER = "yarn"
START_DATE = pendulum.datetime(2026, 6, 1, tz="UTC")

with DAG(
    dag_id="handshake_audit_nightly",
    schedule=CronDataIntervalTimetable("30 2 * * *", timezone="UTC"),
    start_date=START_DATE,
    catchup=True,
    max_active_runs=1,
    default_args={
        "depends_on_past": True,
        "retries": 2,
        "retry_delay": timedelta(minutes=15),
        "execution_timeout": timedelta(hours=3),
    },
    tags=["handshake-audit"],
) as dag:
    BashOperator(
        task_id="audit",
        bash_command=(
            f"{HANDSHAKE_HOME}/jobs/run-audit.sh --master {MASTER} --config {CONFIG} "
            "--as-of {{ ds }} --fail-on-band BREAKING"
        ),
        env={"HANDSHAKE_LOG_FORMAT": "json"},
        append_env=True,
    )
