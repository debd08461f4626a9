import { h, svgNode } from './dom.js';
import { driftFacts, histogramsOf } from './drift.js';
import { histogramSvg } from './histogram.js';
import { type Obj, type Registry, type SelectedFeature, objs, registryOf, selectedOf, servicesServing, str } from './model.js';
import { entityPage, homePage, onDemandPage, servicePage, viewPage, type PageContext } from './pages.js';
import { INTROSPECTION, driftQuery, indexSchema, registryQuery, type IntrospectionData } from './queries.js';
import { graphqlQueryFor, trainingCommandFor } from './snippets.js';

const endpoint = document.body.dataset.graphql ?? '/graphql';

/** One GraphQL request; errors are shown to the user as they come (the server masks internals). */
const gql = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length && !body.data) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data as T;
};

const $ = (id: string): HTMLElement => document.getElementById(id)!;

const start = async () => {
  const schema = indexSchema(await gql<IntrospectionData>(INTROSPECTION));
  const reg: Registry = registryOf(await gql<Obj>(registryQuery(schema)));
  const drift = driftQuery(schema);
  const joinKeys = new Map(reg.entities.map((e) => [str(e, 'name') ?? '', str(e, 'joinKey') ?? '']));
  const selection = new Map<string, SelectedFeature>();
  const search = $('search') as HTMLInputElement;

  // featuregraph's own drift is per feature service (its served-feature log): ask the services that serve the
  // feature in turn, the first that answers (one that does not log is an error) gives the result.
  const driftOf = async (view: string, feature: string): Promise<Obj | null> => {
    if (!drift) return null;
    if (!drift.perService) return drift.pick(await gql<Obj>(drift.query, drift.vars(view, feature)), view, feature);
    const services = servicesServing(reg, view, feature).map((s) => str(s, 'name') ?? '');
    if (services.length === 0) throw new Error(`No feature service serves ${view}:${feature}, so none of its values are logged.`);
    const errors: string[] = [];
    for (const service of services) {
      try {
        const one = drift.pick(await gql<Obj>(drift.query, drift.vars(view, feature, service)), view, feature);
        if (one) return { service, ...one };
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
    throw new Error(errors.join('; ') || `No drift result for ${view}:${feature}.`);
  };

  const ctx: PageContext = {
    reg,
    isSelected: (view, feature) => selection.has(`${view}:${feature}`),
    toggle: (view, feature, on) => {
      const s = selectedOf(reg, view, feature);
      if (on && s) selection.set(`${view}:${feature}`, s);
      else selection.delete(`${view}:${feature}`);
      for (const box of document.querySelectorAll<HTMLInputElement>(`input[data-feature="${CSS.escape(`${view}:${feature}`)}"]`))
        box.checked = on;
      renderSelection();
    },
    ...(drift
      ? {
          drift: (view: string, feature: string, valueType: string, into: HTMLElement) => {
            into.hidden = false;
            into.replaceChildren(h('p', {}, `Loading drift of ${view}:${feature}…`));
            driftOf(view, feature).then(
              (result) => {
                const pair = result && histogramsOf(result, valueType);
                into.replaceChildren(
                  h('h3', {}, `Drift of ${view}:${feature}`),
                  result
                    ? h(
                        'dl',
                        { class: 'facts' },
                        driftFacts(result).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
                      )
                    : h('p', {}, 'No drift result yet.'),
                  pair ? svgNode(histogramSvg(pair, `${feature}: reference vs current`)) : '',
                );
              },
              (err: Error) => into.replaceChildren(h('p', { class: 'error' }, err.message)),
            );
          },
        }
      : {}),
  };

  const matches = (o: Obj, q: string): boolean => JSON.stringify(o).toLowerCase().includes(q);

  const renderSidebar = () => {
    const q = search.value.trim().toLowerCase();
    const section = (title: string, route: string, items: Obj[]) => {
      const shown = q ? items.filter((o) => matches(o, q)) : items;
      return h(
        'section',
        {},
        h('h4', {}, `${title} (${shown.length})`),
        h(
          'ul',
          {},
          shown.map((o) =>
            h(
              'li',
              {},
              h(
                'a',
                { href: `#${route}/${str(o, 'name')}`, class: location.hash === `#${route}/${str(o, 'name')}` ? 'active' : '' },
                str(o, 'name') ?? '',
              ),
            ),
          ),
        ),
      );
    };
    $('sidebar').replaceChildren(
      section('Entities', 'entity', reg.entities),
      section('Feature views', 'view', reg.featureViews),
      section('On-demand views', 'ondemand', reg.onDemandViews),
      section('Feature services', 'service', reg.featureServices),
    );
  };

  /** Features whose name, description, type, view, owner or tags match the search, with checkboxes. */
  const searchResults = (q: string): (Node | string)[] => {
    const rows = [...reg.featureViews.map((v) => ['view', v] as const), ...reg.onDemandViews.map((o) => ['ondemand', o] as const)].flatMap(
      ([route, v]) =>
        objs(v, 'features')
          .filter((f) => matches(f, q) || matches({ name: v.name, owner: v.owner, tags: v.tags, description: v.description }, q))
          .map((f) => {
            const view = str(v, 'name') ?? '';
            const feature = str(f, 'name') ?? '';
            const box = h('input', { type: 'checkbox', 'aria-label': `select ${view}:${feature}`, 'data-feature': `${view}:${feature}` });
            box.checked = ctx.isSelected(view, feature);
            box.addEventListener('change', () => ctx.toggle(view, feature, box.checked));
            return h(
              'tr',
              {},
              h('td', {}, box),
              h('td', {}, h('a', { href: `#${route}/${view}` }, view)),
              h('td', { class: 'mono' }, feature),
              h('td', { class: 'type' }, str(f, 'valueType') ?? ''),
              h('td', {}, str(f, 'description') ?? str(v, 'description') ?? ''),
            );
          }),
    );
    return [
      h('header', { class: 'page-head' }, h('h2', {}, `Search: “${q}”`)),
      h('p', { class: 'description', id: 'result-count' }, `${rows.length} matching feature${rows.length === 1 ? '' : 's'}`),
      h(
        'table',
        { class: 'features results' },
        h(
          'thead',
          {},
          h('tr', {}, h('th', {}, ''), h('th', {}, 'view'), h('th', {}, 'feature'), h('th', {}, 'type'), h('th', {}, 'description')),
        ),
        h('tbody', {}, rows),
      ),
    ];
  };

  const renderDetail = () => {
    const q = search.value.trim().toLowerCase();
    const [route = '', ...rest] = decodeURIComponent(location.hash.slice(1)).split('/');
    const name = rest.join('/');
    const find = (items: Obj[]) => items.find((o) => str(o, 'name') === name);
    let page: (Node | string)[];
    if (q && !route) page = searchResults(q);
    else if (route === 'view' && find(reg.featureViews)) page = viewPage(ctx, find(reg.featureViews)!);
    else if (route === 'ondemand' && find(reg.onDemandViews)) page = onDemandPage(ctx, find(reg.onDemandViews)!);
    else if (route === 'entity' && find(reg.entities)) page = entityPage(ctx, find(reg.entities)!);
    else if (route === 'service' && find(reg.featureServices)) page = servicePage(ctx, find(reg.featureServices)!);
    else page = homePage(ctx);
    $('detail').replaceChildren(...page);
    renderSidebar();
  };

  const snippet = $('snippet');
  const renderSelection = () => {
    const list = [...selection.values()];
    $('selection').hidden = list.length === 0;
    $('selection-count').textContent =
      `${list.length} feature${list.length === 1 ? '' : 's'} selected: ${list.map((s) => `${s.view}:${s.feature}`).join(', ')}`;
  };
  const copy = async (text: string, what: string) => {
    snippet.textContent = text;
    snippet.hidden = false;
    try {
      await navigator.clipboard.writeText(text);
      $('copy-status').textContent = `${what} copied to the clipboard`;
    } catch {
      // No clipboard permission (e.g. plain http on another host): the text stays selected for Ctrl+C.
      getSelection()?.selectAllChildren(snippet);
      $('copy-status').textContent = `${what} shown below: press Ctrl+C to copy`;
    }
  };
  $('copy-query').addEventListener('click', () => void copy(graphqlQueryFor([...selection.values()], joinKeys), 'GraphQL query'));
  $('copy-command').addEventListener(
    'click',
    () => void copy(trainingCommandFor([...selection.values()], joinKeys), 'Training-set command'),
  );
  $('clear-selection').addEventListener('click', () => {
    for (const key of [...selection.keys()]) {
      const [view = '', feature = ''] = key.split(':');
      ctx.toggle(view, feature, false);
    }
    snippet.hidden = true;
  });

  search.addEventListener('input', () => {
    if (search.value.trim() && location.hash) history.replaceState(null, '', location.pathname);
    renderDetail();
  });
  window.addEventListener('hashchange', () => {
    if (location.hash) search.value = '';
    renderDetail();
  });
  renderDetail();
  renderSelection();
  document.body.classList.add('ready');
};

start().catch((err: Error) => {
  $('detail').replaceChildren(h('p', { class: 'error' }, `The catalog could not load the registry: ${err.message}`));
  document.body.classList.add('ready');
});
