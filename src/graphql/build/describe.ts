import type { FeatureMeta } from '../../definitions/feature.js';

/** A feature's GraphQL description: its own text, then its unit and range when the definition gives them. */
export const featureDescription = (f: FeatureMeta): string | undefined => {
  const extra = [f.unit ? `Unit: ${f.unit}.` : '', f.range ? `Range: [${f.range[0]}, ${f.range[1]}].` : ''].filter(Boolean).join(' ');
  if (!f.description) return extra || undefined;
  return extra ? `${f.description} ${extra}` : f.description;
};

export const AS_OF_DOC = 'The point-in-time value as of this instant, from the offline store; omit for the online value.';

export const MAX_AGE_DOC =
  'Serve the value only if it is at most this old (age = now − event time; with asOf, asOf − event time). ' +
  "An older value is null, with an error of code STALE carrying its ageSeconds. Omit, or 0, for no limit beyond the view's ttl.";
