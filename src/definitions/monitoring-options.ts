import type { DriftOptions, Repository } from './objects.js';
import type { DefinitionProblem } from './errors.js';
import { parseDuration } from './duration.js';

const label = (kind: string, name: string) => `${kind} ${JSON.stringify(name)}`;

/** Checks of the monitoring options (`logging`, `freshness`, `drift`; docs/monitoring.md). */
export const monitoringProblems = (repo: Repository): DefinitionProblem[] => {
  const problems: DefinitionProblem[] = [];
  const add = (object: string, message: string, field: string) => problems.push({ object, message, field });
  const checkDrift = (object: string, drift: DriftOptions | undefined, features: readonly string[]) => {
    if (drift === undefined) return;
    const ok = (t: unknown) => typeof t === 'number' && Number.isFinite(t) && t > 0;
    if (drift.threshold !== undefined && !ok(drift.threshold))
      add(object, `threshold must be a positive number, got ${JSON.stringify(drift.threshold)}`, 'drift');
    if (drift.minRows !== undefined && !(Number.isSafeInteger(drift.minRows) && drift.minRows >= 1))
      add(object, `drift.minRows must be a whole number of at least 1, got ${JSON.stringify(drift.minRows)}`, 'drift');
    for (const [f, t] of Object.entries(drift.features ?? {})) {
      if (!features.includes(f)) add(object, `drift.features names "${f}", which is not a feature of it`, 'drift');
      else if (!ok(t)) add(object, `drift threshold of "${f}" must be a positive number, got ${JSON.stringify(t)}`, 'drift');
    }
  };
  for (const v of repo.featureViews) {
    const object = label('feature view', v.name);
    if (v.freshness !== undefined) {
      const d = parseDuration(v.freshness);
      if ('error' in d) add(object, `freshness ${d.error}`, 'freshness');
      else if (d.seconds === 0) add(object, 'freshness must be above 0', 'freshness');
    }
    checkDrift(object, v.drift, Object.keys(v.features ?? {}));
  }
  for (const o of repo.onDemandViews) checkDrift(label('on-demand view', o.name), o.drift, Object.keys(o.features ?? {}));
  for (const s of repo.featureServices) {
    const r = s.logging?.sampleRate;
    if (s.logging !== undefined && (typeof r !== 'number' || !(r >= 0 && r <= 1)))
      add(label('feature service', s.name), `logging.sampleRate must be a number from 0 to 1, got ${JSON.stringify(r)}`, 'logging');
  }
  return problems;
};
