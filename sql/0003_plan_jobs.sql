-- Route planning jobs: at most one queued or running plan per depot and day, so any
-- number of workers (processes, machines) can share a province without planning a
-- depot twice; jobs are claimed with FOR UPDATE SKIP LOCKED.
CREATE UNIQUE INDEX route_plans_one_active ON route_plans (depot_id, plan_date) WHERE status IN ('queued', 'running');
-- An iteration budget makes a plan reproducible (same data and seed, same plan),
-- with the time limit as a safety cap.
ALTER TABLE route_plans ADD COLUMN iterations integer CHECK (iterations > 0);
ALTER TABLE route_plans ADD COLUMN committed_at timestamptz;
