import { ago, duration, h, link, svgNode } from './dom.js';
import { lineageSvg, type LineageSource } from './lineage.js';
import { type Obj, type Registry, num, obj, objs, onDemandEntities, servicesServing, str, strs } from './model.js';

/** What a page needs from the app: the registry, the feature selection, and the drift panel (when served). */
export interface PageContext {
  readonly reg: Registry;
  isSelected(view: string, feature: string): boolean;
  toggle(view: string, feature: string, on: boolean): void;
  /** Renders the drift panel of a feature into `into`; absent when the schema has no drift field. */
  readonly drift?: (view: string, feature: string, valueType: string, into: HTMLElement) => void;
}

const KNOWN_FEATURE_FIELDS = new Set(['name', 'field', 'valueType', 'description']);

const tags = (o: Obj) => {
  const t = objs(o, 'tags');
  return t.length
    ? h(
        'ul',
        { class: 'tags' },
        t.map((x) => h('li', {}, `${str(x, 'key')}: ${str(x, 'value')}`)),
      )
    : null;
};

const facts = (rows: [string, Node | string | null][]) =>
  h(
    'dl',
    { class: 'facts' },
    rows.filter(([, v]) => v !== null && v !== '').flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
  );

const header = (kind: string, o: Obj) =>
  h(
    'header',
    { class: 'page-head' },
    h('span', { class: `badge ${kind.replace(/\W/g, '-')}` }, kind),
    h('h2', {}, str(o, 'name') ?? ''),
    tags(o),
  );

const describe = (o: Obj) => {
  const d = str(o, 'description');
  return d ? h('p', { class: 'description' }, d) : h('p', { class: 'description missing' }, 'No description.');
};

const sourceText = (s: Obj | null): string | null =>
  s ? [str(s, 'name'), str(s, 'kind'), str(s, 'table') ?? str(s, 'query')].filter(Boolean).join(' · ') : null;

/** A feature table with a checkbox per feature; extra FeatureInfo fields (units, ranges…) get their own columns. */
const featureTable = (ctx: PageContext, view: string, features: Obj[], withDrift: boolean) => {
  const extra = [
    ...new Set(
      features.flatMap((f) => Object.keys(f).filter((k) => !KNOWN_FEATURE_FIELDS.has(k) && f[k] !== null && typeof f[k] !== 'object')),
    ),
  ];
  const driftRow = h('div', { class: 'drift-panel', hidden: true });
  const table = h(
    'table',
    { class: 'features' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, ''),
        h('th', {}, 'feature'),
        h('th', {}, 'GraphQL field'),
        h('th', {}, 'type'),
        h('th', {}, 'description'),
        extra.map((k) => h('th', {}, k)),
        withDrift ? h('th', {}, 'drift') : null,
      ),
    ),
    h(
      'tbody',
      {},
      features.map((f) => {
        const name = str(f, 'name') ?? '';
        const box = h('input', { type: 'checkbox', 'aria-label': `select ${view}:${name}`, 'data-feature': `${view}:${name}` });
        box.checked = ctx.isSelected(view, name);
        box.addEventListener('change', () => ctx.toggle(view, name, box.checked));
        return h(
          'tr',
          {},
          h('td', {}, box),
          h('td', { class: 'mono' }, name),
          h('td', { class: 'mono' }, str(f, 'field') ?? ''),
          h('td', { class: 'type' }, str(f, 'valueType') ?? ''),
          h('td', {}, str(f, 'description') ?? ''),
          extra.map((k) => h('td', {}, str(f, k) ?? '')),
          withDrift && ctx.drift
            ? h(
                'td',
                {},
                h('button', { class: 'small', onclick: () => ctx.drift?.(view, name, str(f, 'valueType') ?? '', driftRow) }, 'show'),
              )
            : null,
        );
      }),
    ),
  );
  return [table, driftRow];
};

/** Registry versions, newest first, marking the one in which this object last changed. */
const history = (reg: Registry, version: number | null) =>
  reg.registryHistory.length
    ? h(
        'section',
        { class: 'history' },
        h('h3', {}, 'Registry history'),
        h(
          'ol',
          {},
          reg.registryHistory.map((r) => {
            const v = num(r, 'version');
            return h(
              'li',
              { class: v === version ? 'changed' : '' },
              `v${v} · ${ago(str(r, 'appliedAt'))}${str(r, 'appliedBy') ? ` · ${str(r, 'appliedBy')}` : ''}${v === version ? ' — last changed here' : ''}`,
            );
          }),
        ),
      )
    : null;

/** Freshness: every field the schema serves (watermark, last run, and an objective when there is one). */
const freshness = (v: Obj) => {
  const f = obj(v, 'freshness');
  if (!f) return null;
  const rows = Object.entries(f).map(([k, x]): [string, string] => [
    k,
    typeof x === 'string' && /^\d{4}-\d\d-\d\dT/.test(x)
      ? ago(x)
      : /Seconds$/.test(k) && typeof x === 'number'
        ? duration(x)
        : x === null
          ? '—'
          : String(x),
  ]);
  return h('section', { class: 'freshness' }, h('h3', {}, 'Freshness'), facts(rows));
};

export const viewPage = (ctx: PageContext, v: Obj): (Node | string)[] => {
  const name = str(v, 'name') ?? '';
  const version = num(v, 'version');
  const services = servicesServing(ctx.reg, name);
  return [
    header('feature view', v),
    describe(v),
    facts([
      ['owner', str(v, 'owner')],
      [
        'entities',
        h(
          'span',
          {},
          strs(v, 'entities').flatMap((e, i) => [i ? ', ' : '', link(`entity/${e}`, e)]),
        ),
      ],
      ['ttl', duration(num(v, 'ttlSeconds'))],
      ['online', str(v, 'online')],
      ['version', version !== null ? `v${version}` : 'not applied'],
      ['hash', str(v, 'hash')?.slice(0, 12) ?? null],
      ['source', sourceText(obj(v, 'source'))],
      [
        'services',
        services.length
          ? h(
              'span',
              {},
              services.flatMap((s, i) => [i ? ', ' : '', link(`service/${str(s, 'name')}`, str(s, 'name') ?? '')]),
            )
          : null,
      ],
    ]),
    freshness(v) ?? '',
    h('h3', {}, 'Features'),
    ...featureTable(ctx, name, objs(v, 'features'), ctx.drift !== undefined),
    history(ctx.reg, version) ?? '',
  ];
};

export const onDemandPage = (ctx: PageContext, o: Obj): (Node | string)[] => {
  const name = str(o, 'name') ?? '';
  return [
    header('on-demand view', o),
    describe(o),
    facts([
      ['owner', str(o, 'owner')],
      ['entities', onDemandEntities(ctx.reg, o).join(', ')],
      [
        'reads',
        h(
          'span',
          {},
          strs(o, 'inputs').flatMap((i, n) => [n ? ', ' : '', link(`view/${i}`, i)]),
        ),
      ],
      [
        'request arguments',
        objs(o, 'requestArguments')
          .map((r) => `${str(r, 'name')}: ${str(r, 'valueType')}`)
          .join(', '),
      ],
      ['version', num(o, 'version') !== null ? `v${num(o, 'version')}` : 'not applied'],
    ]),
    h('h3', {}, 'Features'),
    ...featureTable(ctx, name, objs(o, 'features'), false),
    history(ctx.reg, num(o, 'version')) ?? '',
  ];
};

export const entityPage = (ctx: PageContext, e: Obj): (Node | string)[] => {
  const name = str(e, 'name') ?? '';
  const views = ctx.reg.featureViews.filter((v) => strs(v, 'entities').includes(name));
  return [
    header('entity', e),
    describe(e),
    facts([
      ['join key', `${str(e, 'joinKey')}: ${str(e, 'valueType')}`],
      ['owner', str(e, 'owner')],
      ['version', num(e, 'version') !== null ? `v${num(e, 'version')}` : 'not applied'],
      [
        'feature views',
        h(
          'span',
          {},
          views.flatMap((v, i) => [i ? ', ' : '', link(`view/${str(v, 'name')}`, str(v, 'name') ?? '')]),
        ),
      ],
    ]),
    history(ctx.reg, num(e, 'version')) ?? '',
  ];
};

export const servicePage = (ctx: PageContext, s: Obj): (Node | string)[] => {
  const feats = objs(s, 'features');
  const byView = new Map<string, Obj[]>();
  for (const f of feats) byView.set(str(f, 'view') ?? '', [...(byView.get(str(f, 'view') ?? '') ?? []), f]);
  const sources = new Map<string, LineageSource>();
  const addSource = (view: string, src: Obj | null) => {
    if (src) sources.set(view, { name: str(src, 'name') ?? view, kind: str(src, 'kind') ?? '', table: str(src, 'table') });
  };
  for (const f of feats) addSource(str(f, 'view') ?? '', obj(f, 'source'));
  for (const f of feats)
    for (const i of strs(f, 'inputs'))
      if (!sources.has(i))
        addSource(
          i,
          obj(
            ctx.reg.featureViews.find((v) => str(v, 'name') === i),
            'source',
          ),
        );
  const svg = lineageSvg({
    service: str(s, 'name') ?? '',
    version: num(s, 'version'),
    views: [...byView].map(([view, fs]) => ({
      name: view,
      version: num(fs[0], 'viewVersion'),
      onDemand: fs[0]?.onDemand === true,
      features: fs.map((f) => str(f, 'feature') ?? ''),
      inputs: strs(fs[0], 'inputs'),
    })),
    sources,
  });
  const selectAll = h(
    'button',
    { class: 'small', onclick: () => feats.forEach((f) => ctx.toggle(str(f, 'view') ?? '', str(f, 'feature') ?? '', true)) },
    'select all features',
  );
  return [
    header('feature service', s),
    describe(s),
    facts([
      ['owner', str(s, 'owner')],
      ['version', num(s, 'version') !== null ? `v${num(s, 'version')}` : 'not applied'],
      ['features', String(feats.length)],
    ]),
    h('h3', {}, 'Lineage'),
    h('div', { class: 'lineage-box' }, svgNode(svg)),
    h('h3', {}, 'Features ', selectAll),
    h(
      'table',
      { class: 'features' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, ''),
          h('th', {}, 'view'),
          h('th', {}, 'feature'),
          h('th', {}, 'kind'),
          h('th', {}, 'view version'),
          h('th', {}, 'ttl'),
          h('th', {}, 'owner'),
        ),
      ),
      h(
        'tbody',
        {},
        feats.map((f) => {
          const view = str(f, 'view') ?? '';
          const feature = str(f, 'feature') ?? '';
          const box = h('input', { type: 'checkbox', 'aria-label': `select ${view}:${feature}`, 'data-feature': `${view}:${feature}` });
          box.checked = ctx.isSelected(view, feature);
          box.addEventListener('change', () => ctx.toggle(view, feature, box.checked));
          const od = f.onDemand === true;
          return h(
            'tr',
            {},
            h('td', {}, box),
            h('td', {}, link(`${od ? 'ondemand' : 'view'}/${view}`, view)),
            h('td', { class: 'mono' }, feature),
            h('td', {}, od ? 'on-demand' : 'stored'),
            h('td', {}, num(f, 'viewVersion') !== null ? `v${num(f, 'viewVersion')}` : '—'),
            h('td', {}, od ? '—' : duration(num(f, 'ttlSeconds'))),
            h('td', {}, str(f, 'owner') ?? ''),
          );
        }),
      ),
    ),
    history(ctx.reg, num(s, 'version')) ?? '',
  ];
};

export const homePage = (ctx: PageContext): (Node | string)[] => [
  h('header', { class: 'page-head' }, h('h2', {}, 'Feature catalog')),
  h(
    'p',
    { class: 'description' },
    `${ctx.reg.entities.length} entities, ${ctx.reg.featureViews.length} feature views, ${ctx.reg.onDemandViews.length} on-demand views, ${ctx.reg.featureServices.length} feature services. Pick one on the left, or search.`,
  ),
  history(ctx.reg, null) ?? '',
];
