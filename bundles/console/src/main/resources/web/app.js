// Synthloom console: a single page over the JSON API (/api/v1). Every text from the server is
// inserted with textContent (el() below), never as HTML, so data cannot inject markup.
'use strict';

const TOKEN_KEY = 'synthloom.token';
const state = { token: null, stream: null, listeners: new Set(), page: null, cleanup: [] };

// ---------- tokens, API, events ----------

function takeTokenFromUrl() {
  const params = new URLSearchParams(location.search);
  const token = params.get('token');
  if (token) {
    localStorage.setItem(TOKEN_KEY, token);
    params.delete('token');
    const rest = params.toString();
    history.replaceState(null, '', location.pathname + (rest ? '?' + rest : '') + location.hash);
  }
  state.token = localStorage.getItem(TOKEN_KEY);
}

class ApiError extends Error {
  constructor(status, message, details) {
    super(message);
    this.status = status;
    this.details = details || [];
  }
}

async function api(method, path, body, contentType) {
  const headers = { 'X-Synthloom-Token': state.token || '' };
  let payload;
  if (body instanceof Blob) {
    payload = body;
    headers['Content-Type'] = contentType || 'application/java-archive';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, { method, headers, body: payload, cache: 'no-store' });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  if (!response.ok) {
    const err = json && json.error ? json.error : { message: response.status + ' ' + response.statusText };
    if (response.status === 401) askForToken(err.message);
    throw new ApiError(response.status, err.message, err.details);
  }
  return json;
}

function withToken(path) {
  return path + (path.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(state.token || '');
}

function connectStream() {
  if (state.stream) state.stream.close();
  const live = document.getElementById('live');
  const source = new EventSource(withToken('/api/v1/events'));
  source.onopen = () => { live.textContent = 'live'; live.className = 'live on'; };
  source.onerror = () => { live.textContent = 'reconnecting'; live.className = 'live off'; };
  for (const type of ['run', 'bundle', 'service']) {
    source.addEventListener(type, (e) => {
      const data = JSON.parse(e.data);
      for (const listener of state.listeners) {
        try { listener(type, data); } catch (err) { console.error(err); }
      }
    });
  }
  state.stream = source;
}

/** Listens to the event stream while the current page is shown. */
function onEvent(listener) {
  state.listeners.add(listener);
  state.cleanup.push(() => state.listeners.delete(listener));
}

// ---------- DOM helpers ----------

/** Creates an element; strings and numbers become text nodes (escaped by construction). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.substring(2), value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function badge(text, cls) { return el('span', { class: 'badge ' + (cls || text) }, text); }

function toast(message, isError) {
  const box = el('div', { class: isError ? 'error' : '' }, message);
  document.getElementById('toast').appendChild(box);
  setTimeout(() => box.remove(), isError ? 9000 : 4500);
}

function errorText(e) {
  return e.message + (e.details && e.details.length ? ': ' + e.details.join('; ') : '');
}

function render(...children) {
  const main = document.getElementById('main');
  main.replaceChildren(...children.flat(Infinity).filter(Boolean));
  return main;
}

function fmtTime(ms) { return ms ? new Date(ms).toLocaleString() : ''; }
function fmtDuration(ms) {
  if (ms === undefined || ms === null) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return s + 's';
  const m = Math.floor(s / 60);
  if (m < 60) return m + 'm' + String(s % 60).padStart(2, '0') + 's';
  return Math.floor(m / 60) + 'h' + String(m % 60).padStart(2, '0') + 'm';
}
function fmtBytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return n.toFixed(i ? 1 : 0) + ' ' + units[i];
}
function fmtNum(v) {
  if (typeof v !== 'number') return String(v);
  if (!isFinite(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(3) : v.toPrecision(3);
}

function askForToken(message) {
  render(el('div', { class: 'card' },
    el('h1', {}, 'Access token needed'),
    el('p', {}, message || 'The console needs its access token.'),
    el('p', { class: 'muted' }, 'Synthloom prints the console URL with its token when it starts; the token is also in data/console/token.'),
    el('form', { onsubmit: (e) => { e.preventDefault(); const v = e.target.token.value.trim(); if (v) { localStorage.setItem(TOKEN_KEY, v); state.token = v; connectStream(); route(); } } },
      el('input', { type: 'password', name: 'token', size: 70, placeholder: 'token', autocomplete: 'off' }), ' ',
      el('button', { class: 'primary', type: 'submit' }, 'Use token'))));
}

// ---------- charts ----------

const COLORS = ['#2f6fd1', '#d1552f', '#1c8a4c', '#8a3fd1', '#b7791f', '#1f9bb7', '#c23b73', '#5a6b7c'];

/** A uPlot line chart of one or more series over steps; returns {update(seriesList)} */
function lineChart(container, title, names) {
  const width = Math.max(320, (container.clientWidth || 640) - 16);
  const opts = {
    title, width, height: 240,
    scales: { x: { time: false } },
    series: [{ label: 'step' }, ...names.map((n, i) => ({ label: n, stroke: COLORS[i % COLORS.length], width: 2, spanGaps: true }))],
    axes: [{ label: 'step' }, {}],
  };
  const empty = [[], ...names.map(() => [])];
  const plot = new uPlot(opts, empty, container);
  return {
    plot,
    /** @param series array (per name) of [[step, value], ...] */
    update(series) {
      const steps = [...new Set(series.flatMap((s) => s.map((p) => p[0])))].sort((a, b) => a - b);
      const columns = series.map((s) => { const m = new Map(s); return steps.map((x) => (m.has(x) ? m.get(x) : null)); });
      plot.setData([steps, ...columns]);
      container.dataset.points = String(steps.length);
    },
  };
}

// ---------- router ----------

const pages = {
  components: pageComponents,
  pipelines: pagePipelines,
  runs: pageRuns,
  compare: pageCompare,
  samples: pageSamples,
  health: pageHealth,
};

function route() {
  for (const f of state.cleanup.splice(0)) f();
  if (!state.token) { askForToken(); return; }
  const parts = (location.hash.replace(/^#\/?/, '') || 'runs').split('/').map(decodeURIComponent);
  const page = pages[parts[0]] ? parts[0] : 'runs';
  for (const a of document.querySelectorAll('nav a')) {
    a.classList.toggle('active', a.dataset.page === page || (page === 'compare' && a.dataset.page === 'runs'));
  }
  document.body.dataset.page = page;
  pages[page](parts.slice(1)).catch((e) => {
    if (e instanceof ApiError && e.status === 401) return;
    render(el('div', { class: 'card error' }, 'Could not load this page: ' + errorText(e)));
  });
}

// ---------- Components ----------

async function pageComponents() {
  const [bundles, components, activity] = await Promise.all([
    api('GET', '/api/v1/bundles'), api('GET', '/api/v1/components'), api('GET', '/api/v1/activity')]);
  const byBundle = new Map();
  for (const c of components.components) {
    if (!byBundle.has(c.bundle)) byBundle.set(c.bundle, []);
    byBundle.get(c.bundle).push(c);
  }
  const uploadResult = el('div', { id: 'upload-result', class: 'small' });
  const fileInput = el('input', { type: 'file', id: 'plugin-file', accept: '.jar' });
  const upload = el('div', { class: 'card' },
    el('h2', {}, 'Install or update a plugin'),
    el('p', { class: 'muted small' }, 'An OSGi bundle jar (Bundle-SymbolicName in its manifest). A new bundle is written to ',
      el('span', { class: 'mono' }, bundles.pluginsDirectory), ' and hot-deployed; a new version of an installed bundle replaces it live.'),
    el('div', { class: 'toolbar' }, fileInput,
      el('button', { class: 'primary', id: 'upload-button', onclick: async () => {
        if (!fileInput.files.length) { toast('choose a jar first', true); return; }
        uploadResult.replaceChildren('uploading ...');
        try {
          const r = await api('POST', '/api/v1/plugins', fileInput.files[0]);
          uploadResult.replaceChildren(el('span', { class: r.problem ? 'error' : 'okText' },
            `${r.symbolicName} ${r.version} ${r.action} (${r.how}) in ${r.millis} ms` + (r.problem ? ': ' + r.problem : '')));
          refreshBundles();
        } catch (e) { uploadResult.replaceChildren(el('span', { class: 'error' }, errorText(e))); }
      } }, 'Upload')),
    uploadResult);

  const activityRows = el('tbody', { id: 'activity' });
  const addActivity = (a) => {
    activityRows.prepend(el('tr', { class: a.type === 'COMPONENT_SWAPPED' ? 'swap' : '' },
      el('td', { class: 'small' }, new Date(a.time).toLocaleTimeString()),
      el('td', {}, a.topic), el('td', {}, badge(a.type)),
      el('td', {}, a.message + (a.component ? ' [' + a.component + ']' : ''))));
    while (activityRows.children.length > 60) activityRows.lastChild.remove();
  };
  activity.activity.forEach(addActivity);
  let reload = null;
  onEvent((type, data) => {
    if (type === 'run' && (data.type === 'PROGRESS' || data.type === 'METRIC')) return;
    addActivity(data);
    if (type === 'bundle' || type === 'service') {
      clearTimeout(reload);
      reload = setTimeout(() => refreshBundles(), 300);
    }
  });

  const table = el('tbody', { id: 'bundles' });
  const fill = (list, comps) => {
    table.replaceChildren(...list.bundles.map((b) => bundleRow(b, comps.get(b.id) || [])));
  };
  const refreshBundles = async () => {
    const [bs, cs] = await Promise.all([api('GET', '/api/v1/bundles'), api('GET', '/api/v1/components')]);
    const m = new Map();
    for (const c of cs.components) { if (!m.has(c.bundle)) m.set(c.bundle, []); m.get(c.bundle).push(c); }
    fill(bs, m);
  };
  fill(bundles, byBundle);
  render(el('h1', {}, 'Components'),
    el('div', { class: 'row' }, upload,
      el('div', { class: 'card' }, el('h2', {}, 'Activity'), el('p', { class: 'muted small' }, 'Bundles, plugin services and run events as they happen.'),
        el('div', { class: 'log' }, el('table', {}, activityRows)))),
    el('div', { class: 'card' }, el('h2', {}, 'Bundles and their Declarative Services components'),
      el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'id'), el('th', {}, 'bundle'), el('th', {}, 'version'), el('th', {}, 'state'),
        el('th', {}, 'kinds'), el('th', {}, 'components'), el('th', {}, 'actions'))), table)));
}

function bundleRow(b, comps) {
  const actions = el('td', {});
  const act = async (method, path, body) => {
    try {
      await api(method, path, body);
      toast(b.symbolicName + ': done');
      route();
    } catch (e) { toast(b.symbolicName + ': ' + errorText(e), true); }
  };
  if (!b.infrastructure) {
    if (b.state === 'ACTIVE') actions.append(el('button', { onclick: () => act('POST', `/api/v1/bundles/${b.id}/stop`) }, 'Stop'));
    else actions.append(el('button', { onclick: () => act('POST', `/api/v1/bundles/${b.id}/start`) }, 'Start'));
    const file = el('input', { type: 'file', accept: '.jar', style: 'display:none', onchange: () => {
      if (file.files.length) act('POST', `/api/v1/bundles/${b.id}/update`, file.files[0]);
    } });
    actions.append(' ', el('button', { onclick: () => file.click(), title: 'upload a new version of this bundle' }, 'Update'), file);
    if (b.plugin) actions.append(' ', el('button', { class: 'danger', onclick: () => { if (confirm('Uninstall ' + b.symbolicName + '?')) act('DELETE', `/api/v1/bundles/${b.id}`); } }, 'Uninstall'));
  } else {
    actions.append(el('span', { class: 'muted small' }, 'infrastructure'));
  }
  const details = el('details', {}, el('summary', {}, comps.length + ' component(s), ' + b.services.length + ' service(s), uses ' + b.servicesInUse.length),
    comps.map(componentBlock),
    el('h3', {}, 'Provides'), serviceList(b.services),
    el('h3', {}, 'Uses'), serviceList(b.servicesInUse));
  return el('tr', { dataset: { bundle: b.symbolicName } },
    el('td', { class: 'num' }, b.id),
    el('td', {}, b.symbolicName, b.plugin ? el('div', { class: 'small muted' }, 'plugins/' + b.file) : null),
    el('td', { class: 'mono', dataset: { role: 'version' } }, b.version),
    el('td', {}, badge(b.state)),
    el('td', {}, b.kinds.join(', ')),
    el('td', {}, details),
    actions);
}

function serviceList(list) {
  if (!list.length) return el('div', { class: 'muted small' }, 'none');
  return el('ul', { class: 'small' }, list.map((s) => el('li', {},
    s.kind ? s.kind + '/' + s.name + ' ' : '', el('span', { class: 'mono' }, s.objectClass.join(', ')),
    ' #' + s.id, s.bundleName ? el('span', { class: 'muted' }, ' from ' + s.bundleName) : null)));
}

function componentBlock(c) {
  const confs = c.configurations.length ? c.configurations : [{ state: c.enabled ? 'UNSATISFIED_CONFIGURATION' : 'DISABLED', properties: {}, satisfiedReferences: [], unsatisfiedReferences: [] }];
  return el('div', { class: 'card small' },
    el('strong', {}, c.kind ? c.kind + '/' + c.pluginName : c.name), ' ',
    confs.map((conf) => badge(conf.state)),
    el('div', { class: 'mono muted' }, c.implementation),
    c.provides.length ? el('div', {}, 'provides ', el('span', { class: 'mono' }, c.provides.join(', '))) : null,
    el('div', {}, 'configuration PID ', el('span', { class: 'mono' }, c.configurationPid), ' (' + c.configurationPolicy + ')'),
    confs.map((conf) => el('div', {},
      conf.failure ? el('div', { class: 'error' }, 'activation failed: ' + conf.failure) : null,
      conf.unsatisfiedReferences.map((u) => el('div', { class: 'error' }, 'missing ' + u.name + ': ' + u.missing)),
      conf.satisfiedReferences.map((s) => el('div', {}, 'uses ' + s.name + ': ', s.bound.map((x) => x.plugin || x.objectClass || '#' + x.id).join(', ') || 'none (optional)')),
      Object.keys(conf.properties).length ? el('details', {}, el('summary', {}, 'configuration'),
        el('table', {}, Object.entries(conf.properties).map(([k, v]) => el('tr', {}, el('td', { class: 'mono' }, k), el('td', { class: 'mono' }, JSON.stringify(v)))))) : null)));
}

// ---------- Pipelines ----------

async function pagePipelines(args) {
  if (args[0] === 'new') return pipelineForm(null, args[1]);
  if (args.length >= 2 && args[1] === 'edit') return pipelineForm(args[0]);
  const list = await api('GET', '/api/v1/pipelines');
  const rows = list.pipelines.map((p) => el('tr', { dataset: { pipeline: p.name } },
    el('td', {}, el('strong', {}, p.name), el('div', { class: 'small muted' }, p.properties.description || '')),
    el('td', { class: 'small' }, p.file ? el('span', { class: 'mono' }, p.file) : el('span', { class: 'muted' }, 'console')),
    el('td', {}, p.registered ? (p.problems.length ? badge('cannot run', 'bad') : badge('ready', 'ok')) : badge('not registered', 'warn'),
      p.problems.map((x) => el('div', { class: 'small error' }, x))),
    el('td', {}, p.currentRun ? el('a', { href: '#/runs/' + encodeURIComponent(p.currentRun.id) }, p.currentRun.id, ' ', badge(p.currentRun.state)) : ''),
    el('td', {},
      el('button', { class: 'primary', onclick: () => startPipeline(p.name) }, 'Start'), ' ',
      el('a', { class: 'button', href: '#/pipelines/' + encodeURIComponent(p.name) + '/edit' }, 'Edit'), ' ',
      el('a', { class: 'button', href: '#/pipelines/new/' + encodeURIComponent(p.name) }, 'Clone'), ' ',
      el('button', { class: 'danger', onclick: async () => {
        if (!confirm('Delete pipeline ' + p.name + '?')) return;
        try { await api('DELETE', '/api/v1/pipelines/' + encodeURIComponent(p.name)); toast('deleted ' + p.name); route(); } catch (e) { toast(errorText(e), true); }
      } }, 'Delete'))));
  render(el('h1', {}, 'Pipelines'),
    el('div', { class: 'toolbar' }, el('a', { class: 'button primary', href: '#/pipelines/new', id: 'new-pipeline' }, 'New pipeline')),
    el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'pipeline'), el('th', {}, 'source'), el('th', {}, 'status'), el('th', {}, 'last run'), el('th', {}, ''))),
      el('tbody', {}, rows)));
}

async function startPipeline(name) {
  try {
    const run = await api('POST', '/api/v1/pipelines/' + encodeURIComponent(name) + '/start');
    location.hash = '#/runs/' + encodeURIComponent(run.id);
  } catch (e) { toast('pipeline ' + name + ' did not start: ' + errorText(e), true); }
}

/** The form of a pipeline, from the engine's Metatype. editName: edit it; cloneOf: a new one from it. */
async function pipelineForm(editName, cloneOf) {
  const schema = await api('GET', '/api/v1/pipelines/schema');
  const source = editName || cloneOf;
  const existing = source ? await api('GET', '/api/v1/pipelines/' + encodeURIComponent(source)) : null;
  const values = existing ? { ...existing.properties } : {};
  if (cloneOf) delete values.name;
  const inputs = new Map();
  const errors = new Map();
  const grid = el('div', { class: 'form-grid' });
  const nameInput = el('input', { type: 'text', id: 'pipeline-name', name: 'pipeline-name', value: editName || (cloneOf ? cloneOf + '-copy' : ''), disabled: !!editName, placeholder: 'letters, digits, . _ -' });
  const nameError = el('div', { class: 'field-error' });
  grid.append(el('div', { class: 'field-label' }, 'Configuration name', el('span', { class: 'mono muted' }, 'factory configuration of ' + schema.factoryPid)),
    el('div', { class: 'field-input' }, nameInput, nameError));
  for (const f of schema.fields) {
    const current = values[f.id] !== undefined ? values[f.id] : f.default;
    let input;
    const choices = schema.choices[f.id];
    if (f.options) {
      input = el('select', { name: f.id }, f.options.map((o) => el('option', { value: o.value, selected: String(current) === o.value }, o.label)));
    } else if (f.type === 'boolean') {
      input = el('input', { type: 'checkbox', name: f.id, checked: !!current });
    } else if (f.cardinality !== 0) {
      input = el('textarea', { name: f.id, placeholder: 'one value per line' });
      input.value = Array.isArray(current) ? current.filter((x) => x !== '').join('\n') : '';
    } else if (['integer', 'long', 'short', 'byte', 'double', 'float'].includes(f.type)) {
      input = el('input', { type: 'number', name: f.id, step: ['double', 'float'].includes(f.type) ? 'any' : '1', value: current === undefined ? '' : current });
    } else {
      input = el('input', { type: 'text', name: f.id, value: current === undefined ? '' : current });
      if (choices) input.setAttribute('list', 'choices-' + f.id);
    }
    inputs.set(f.id, { field: f, input });
    const err = el('div', { class: 'field-error', dataset: { field: f.id } });
    errors.set(f.id, err);
    const datalist = choices ? el('datalist', { id: 'choices-' + f.id }, choices.map((c) => el('option', { value: c.value }, c.label))) : null;
    const picker = choices && choices.length ? el('select', { class: 'small', onchange: (e) => { if (e.target.value) input.value = e.target.value; } },
      el('option', { value: '' }, 'running components ...'), choices.map((c) => el('option', { value: c.value }, c.label))) : null;
    grid.append(el('div', { class: 'field-label' }, f.name, el('span', { class: 'mono muted' }, f.id + ' (' + f.type + (f.cardinality ? '[]' : '') + ')')),
      el('div', { class: 'field-input' }, input, ' ', picker, datalist,
        el('div', { class: 'small muted' }, f.description, f.default !== undefined && f.default !== '' && !(Array.isArray(f.default) && !f.default.length) ? ' Default: ' + JSON.stringify(f.default) + '.' : ''), err));
  }
  const status = el('div', { id: 'form-status' });
  const save = async (andStart) => {
    for (const e of errors.values()) e.textContent = '';
    nameError.textContent = '';
    status.replaceChildren();
    const properties = {};
    const local = [];
    for (const [id, { field, input }] of inputs) {
      if (field.type === 'boolean') { properties[id] = input.checked; continue; }
      const raw = input.value;
      if (field.cardinality !== 0) {
        const items = raw.split('\n').map((s) => s.trim()).filter((s) => s);
        properties[id] = items.map((s) => (['integer', 'long', 'double', 'float'].includes(field.type) ? Number(s) : s));
      } else if (['integer', 'long', 'short', 'byte', 'double', 'float'].includes(field.type)) {
        if (raw.trim() === '') continue;
        const n = Number(raw);
        if (!isFinite(n)) { local.push(id + ': not a number'); continue; }
        properties[id] = n;
      } else {
        properties[id] = raw;
      }
    }
    if (local.length) { showErrors(local); return; }
    try {
      const name = nameInput.value.trim();
      const saved = editName
        ? await api('PUT', '/api/v1/pipelines/' + encodeURIComponent(editName), { properties })
        : await api('POST', '/api/v1/pipelines', { name, properties });
      status.replaceChildren(el('div', { class: 'okText' }, 'Saved ' + saved.name + '.'),
        saved.warning ? el('div', { class: 'small' }, saved.warning) : null,
        saved.problems.length ? el('div', { class: 'error' }, 'The engine says it cannot run: ', el('ul', {}, saved.problems.map((p) => el('li', {}, p)))) : null);
      if (andStart && !saved.problems.length) startPipeline(saved.name);
    } catch (e) {
      showErrors(e.details && e.details.length ? e.details : [], e.message);
    }
  };
  const showErrors = (details, message) => {
    status.replaceChildren(el('div', { class: 'error', id: 'form-error' }, message || 'Please correct the marked values.'));
    for (const d of details) {
      const i = d.indexOf(': ');
      const id = i > 0 ? d.substring(0, i) : '';
      if (errors.has(id)) errors.get(id).textContent = d.substring(i + 2);
      else status.append(el('div', { class: 'error' }, d));
    }
    if (message && /name/.test(message) && !editName) nameError.textContent = message;
    const first = [nameError, ...errors.values()].find((e) => e.textContent);
    if (first) first.parentElement.scrollIntoView({ block: 'center' });
  };
  render(el('h1', {}, editName ? 'Edit pipeline ' + editName : cloneOf ? 'New pipeline from ' + cloneOf : 'New pipeline'),
    existing && existing.file && editName ? el('p', { class: 'card small' }, 'This pipeline comes from the file ', el('span', { class: 'mono' }, existing.file),
      ': edits here last until that file changes or Synthloom restarts.') : null,
    el('div', { class: 'card' }, grid),
    el('div', { class: 'toolbar' },
      el('button', { class: 'primary', id: 'save-pipeline', onclick: () => save(false) }, 'Save'),
      el('button', { id: 'save-and-start', onclick: () => save(true) }, 'Save and start'),
      el('a', { class: 'button', href: '#/pipelines' }, 'Back')),
    status);
}

// ---------- Runs ----------

async function pageRuns(args) {
  if (args[0]) return runDetail(args[0]);
  const [runs, pipelines] = await Promise.all([api('GET', '/api/v1/runs'), api('GET', '/api/v1/pipelines')]);
  const select = el('select', { id: 'start-pipeline' }, pipelines.pipelines.map((p) => el('option', { value: p.name }, p.name)));
  const checked = new Set();
  const compareButton = el('button', { id: 'compare', disabled: true, onclick: () => { location.hash = '#/compare/' + [...checked].map(encodeURIComponent).join(','); } }, 'Compare selected');
  const rows = runs.runs.map((r) => el('tr', { dataset: { run: r.id } },
    el('td', {}, el('input', { type: 'checkbox', onchange: (e) => { if (e.target.checked) checked.add(r.id); else checked.delete(r.id); compareButton.disabled = checked.size < 2; } })),
    el('td', {}, el('a', { href: '#/runs/' + encodeURIComponent(r.id) }, r.id)),
    el('td', {}, r.pipeline), el('td', {}, badge(r.state)), el('td', { class: 'small' }, fmtTime(r.created)),
    el('td', { class: 'small' }, r.summary)));
  onEvent((type, data) => {
    if (type === 'run' && ['STARTED', 'FINISHED', 'FAILED', 'CANCELLED', 'PAUSED', 'RESUMED'].includes(data.type)) route();
  });
  render(el('h1', {}, 'Runs'),
    el('div', { class: 'toolbar' }, 'Pipeline ', select, el('button', { class: 'primary', id: 'start-run', onclick: () => startPipeline(select.value) }, 'Start run'), compareButton),
    el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, ''), el('th', {}, 'run'), el('th', {}, 'pipeline'), el('th', {}, 'state'), el('th', {}, 'created'), el('th', {}, 'summary'))),
      el('tbody', {}, rows)));
}

async function runDetail(id) {
  const path = '/api/v1/runs/' + encodeURIComponent(id);
  const [run, metrics] = await Promise.all([api('GET', path), api('GET', path + '/metrics')]);
  const stateBadge = el('span', { id: 'run-state' }, badge(run.state));
  const control = (action) => async () => {
    try { const r = await api('POST', path + '/' + action); toast(r.message); } catch (e) { toast(errorText(e), true); }
  };
  const stages = new Map();
  const progressBox = el('div', { id: 'progress' });
  const setProgress = (e) => {
    let row = stages.get(e.message);
    if (!row) {
      row = { bar: el('div', {}), text: el('span', { class: 'small' }) };
      stages.set(e.message, row);
      progressBox.append(el('div', { class: 'toolbar' }, el('strong', { style: 'width:80px' }, e.message), el('div', { class: 'progress', style: 'flex:1' }, row.bar), row.text));
    }
    const pct = e.totalSteps > 0 ? Math.min(100, 100 * e.step / e.totalSteps) : 0;
    row.bar.style.width = pct.toFixed(1) + '%';
    row.text.textContent = `${e.step}/${e.totalSteps || '?'}` + (e.etaMillis !== undefined ? '  ETA ' + fmtDuration(e.etaMillis) : '');
    row.text.dataset.step = String(e.step);
  };
  run.progress.forEach(setProgress);

  // Training metrics, live: the loss chart and one chosen metric.
  const series = {};
  for (const [name, points] of Object.entries(metrics.metrics)) series[name] = points.slice();
  const lossBox = el('div', { class: 'chart', id: 'loss-chart' });
  const otherBox = el('div', { class: 'chart', id: 'metric-chart' });
  const trainingNames = () => Object.keys(series).filter((n) => n !== 'loss' && series[n].length > 1);
  const metricSelect = el('select', { id: 'metric-select' });
  const log = el('tbody', { id: 'events' });
  const addLog = (e) => {
    log.prepend(el('tr', { class: e.type === 'COMPONENT_SWAPPED' ? 'swap' : '', dataset: { type: e.type } },
      el('td', { class: 'small' }, new Date(e.time).toLocaleTimeString()), el('td', {}, badge(e.type)),
      el('td', { class: 'num' }, e.step || ''), el('td', { class: 'mono' }, e.component || ''), el('td', {}, e.message)));
  };
  run.log.forEach(addLog);
  const latest = el('tbody', { id: 'latest-metrics' });
  const showLatest = (m) => latest.replaceChildren(...Object.entries(m).sort().map(([k, v]) => el('tr', {}, el('td', { class: 'mono' }, k), el('td', { class: 'num' }, fmtNum(v)))));
  showLatest(run.latestMetrics);
  const summary = el('p', { class: 'small', id: 'run-summary' }, run.summary);
  // What the evaluators wrote beside their metrics: for a captioning model, its captions beside the human ones.
  const evaluation = el('div', { id: 'evaluation' });
  const showEvaluation = async () => {
    try {
      const results = await api('GET', path + '/results');
      const cards = Object.entries(results.details || {}).map(([evaluator, details]) => el('div', { class: 'card', dataset: { evaluator } },
        el('h2', {}, 'Evaluation details ', el('span', { class: 'mono small' }, evaluator)),
        Object.entries(details).map(([name, text]) => el('div', {}, el('h3', { class: 'small' }, name),
          el('pre', { class: 'details', dataset: { detail: name } }, text)))));
      evaluation.replaceChildren(...cards);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) toast(errorText(e), true);
    }
  };
  if (run.hasResults) showEvaluation();

  render(el('h1', {}, 'Run ', el('span', { class: 'mono' }, run.id), ' ', stateBadge),
    el('p', { class: 'muted' }, 'pipeline ', el('a', { href: '#/pipelines/' + encodeURIComponent(run.pipeline) + '/edit' }, run.pipeline), ', created ' + fmtTime(run.created)),
    el('div', { class: 'toolbar' },
      el('button', { id: 'pause', onclick: control('pause') }, 'Pause'),
      el('button', { id: 'resume', onclick: control('resume') }, 'Resume'),
      el('button', { id: 'stop', class: 'danger', onclick: control('stop') }, 'Stop'),
      el('a', { class: 'button', href: withToken(path + '/config'), download: run.id + '-pipeline.json' }, 'Download config'),
      el('a', { class: 'button', id: 'download-results', href: withToken(path + '/results'), download: run.id + '-results.json' }, 'Download results'),
      el('a', { class: 'button', href: '#/samples/' + encodeURIComponent(run.id) }, 'Samples')),
    summary,
    el('div', { class: 'card' }, el('h2', {}, 'Progress'), progressBox),
    el('div', { class: 'row' }, el('div', { class: 'card' }, el('h2', {}, 'Loss'), lossBox),
      el('div', { class: 'card' }, el('h2', {}, 'Metric ', metricSelect), otherBox)),
    el('div', { class: 'row' },
      el('div', { class: 'card', style: 'flex: 3 1 600px' }, el('h2', {}, 'Events'), el('div', { class: 'log' }, el('table', {},
        el('thead', {}, el('tr', {}, el('th', {}, 'time'), el('th', {}, 'type'), el('th', {}, 'step'), el('th', {}, 'component'), el('th', {}, 'message'))), log))),
      el('div', { class: 'card', style: 'flex: 1 1 260px' }, el('h2', {}, 'Latest metrics'), el('table', {}, latest))),
    evaluation);

  const lossChart = lineChart(lossBox, 'loss', ['loss']);
  lossChart.update([series.loss || []]);
  let otherChart = null;
  const preferred = (names) => names.find((n) => /acc/.test(n)) || names.find((n) => n === 'learning_rate') || names[0];
  const fillSelect = () => {
    const names = trainingNames();
    const current = metricSelect.value || preferred(names);
    if (names.join() === [...metricSelect.options].map((o) => o.value).join()) return;
    metricSelect.replaceChildren(...names.map((n) => el('option', { value: n, selected: n === current }, n)));
  };
  const drawOther = () => {
    const name = metricSelect.value;
    otherBox.replaceChildren();
    if (!name) { otherBox.append(el('p', { class: 'muted small' }, 'no other metric yet')); return; }
    otherChart = lineChart(otherBox, name, [name]);
    otherChart.update([series[name] || []]);
  };
  metricSelect.addEventListener('change', drawOther);
  fillSelect();
  drawOther();

  onEvent((type, e) => {
    if (type !== 'run' || e.run !== run.id) return;
    if (e.type === 'PROGRESS') { setProgress(e); return; }
    if (e.type === 'METRIC') {
      if (e.message === 'train') {
        for (const [k, v] of Object.entries(e.metrics || {})) {
          (series[k] = series[k] || []).push([e.step, v]);
        }
        lossChart.update([series.loss || []]);
        const before = metricSelect.value;
        fillSelect();
        if (!before && metricSelect.value) drawOther();
        else if (otherChart && series[metricSelect.value]) otherChart.update([series[metricSelect.value]]);
      }
      const merged = {};
      for (const r of latest.children) merged[r.children[0].textContent] = Number(r.children[1].textContent);
      showLatest({ ...merged, ...(e.metrics || {}) });
      return;
    }
    addLog(e);
    const states = { STARTED: 'RUNNING', RESUMED: 'RUNNING', PAUSED: 'PAUSED', FINISHED: 'FINISHED', FAILED: 'FAILED', CANCELLED: 'CANCELLED' };
    if (states[e.type]) stateBadge.replaceChildren(badge(states[e.type]));
    if (['FINISHED', 'FAILED', 'CANCELLED'].includes(e.type)) summary.textContent = e.message;
    if (e.type === 'FINISHED') showEvaluation();
  });
}

async function pageCompare(args) {
  const ids = (args[0] || '').split(',').filter((x) => x);
  const data = await api('GET', '/api/v1/runs/compare?ids=' + ids.map(encodeURIComponent).join(','));
  const runs = data.runs;
  const metricNames = [...new Set(runs.flatMap((r) => Object.keys(r.latestMetrics)))].sort();
  const configKeys = [...new Set(runs.flatMap((r) => Object.keys(r.configuration || {})))].sort();
  const differing = configKeys.filter((k) => new Set(runs.map((r) => JSON.stringify((r.configuration || {})[k]))).size > 1);
  const box = el('div', { class: 'chart', id: 'compare-chart' });
  render(el('h1', {}, 'Compare runs'),
    el('div', { class: 'card' }, el('h2', {}, 'Metrics (latest value)'), el('table', { id: 'compare-table' },
      el('thead', {}, el('tr', {}, el('th', {}, 'metric'), runs.map((r) => el('th', {}, el('a', { href: '#/runs/' + encodeURIComponent(r.id) }, r.id), el('div', {}, badge(r.state)))))),
      el('tbody', {}, metricNames.map((m) => el('tr', {}, el('td', { class: 'mono' }, m), runs.map((r) => el('td', { class: 'num' }, r.latestMetrics[m] === undefined ? '' : fmtNum(r.latestMetrics[m])))))))),
    el('div', { class: 'card' }, el('h2', {}, 'Loss over steps'), box),
    el('div', { class: 'card' }, el('h2', {}, 'Configuration differences'), differing.length ? el('table', {},
      el('thead', {}, el('tr', {}, el('th', {}, 'property'), runs.map((r) => el('th', {}, r.pipeline)))),
      el('tbody', {}, differing.map((k) => el('tr', {}, el('td', { class: 'mono' }, k), runs.map((r) => el('td', { class: 'mono' }, JSON.stringify((r.configuration || {})[k]) || '')))))) : el('p', { class: 'muted' }, 'same configuration')));
  const chart = lineChart(box, 'loss', runs.map((r) => r.id));
  chart.update(runs.map((r) => (r.series.loss || [])));
}

// ---------- Samples ----------

async function pageSamples(args) {
  const runs = await api('GET', '/api/v1/runs');
  const runId = args[0] || (runs.runs[0] && runs.runs[0].id);
  if (!runId) { render(el('h1', {}, 'Samples'), el('p', { class: 'muted' }, 'No run yet: start a pipeline first.')); return; }
  const params = new URLSearchParams(args[1] || '');
  const source = params.get('source') || 'all';
  const cls = params.get('class') || '';
  const offset = Number(params.get('offset') || 0);
  const q = new URLSearchParams({ source, offset: String(offset), limit: '24' });
  if (cls) q.set('class', cls);
  const data = await api('GET', '/api/v1/runs/' + encodeURIComponent(runId) + '/samples?' + q);
  const go = (changes) => {
    const p = new URLSearchParams({ source, class: cls, offset: '0', ...changes });
    location.hash = '#/samples/' + encodeURIComponent(runId) + '/' + p.toString();
  };
  const runSelect = el('select', { id: 'sample-run', onchange: (e) => { location.hash = '#/samples/' + encodeURIComponent(e.target.value); } },
    runs.runs.map((r) => el('option', { value: r.id, selected: r.id === runId }, r.id)));
  const sourceSelect = el('select', { id: 'sample-source', onchange: (e) => go({ source: e.target.value }) },
    ['all', 'human', 'synthetic'].map((s) => el('option', { value: s, selected: s === source }, s)));
  const classSelect = el('select', { id: 'sample-class', onchange: (e) => go({ class: e.target.value }) },
    el('option', { value: '' }, 'all classes'), data.classes.map((c) => el('option', { value: c, selected: c === cls }, c)));
  const cards = data.samples.map((s) => el('div', { class: 'card sample', dataset: { source: s.source } },
    el('img', { src: withToken(s.image), alt: s.id }),
    el('div', {}, badge(s.source), ' ', el('span', { class: 'mono small' }, s.id)),
    s.tokens ? el('div', { class: 'small muted' }, `VQ tokens ${s.tokens.rows}x${s.tokens.columns} of ${s.tokens.codebook} (decoded when a tokenizer for it is registered, else drawn as the token grid)`) : null,
    s.labels.length ? el('div', { class: 'small' }, 'class: ', s.labels.join(', ')) : null,
    el('div', { class: 'small muted' }, 'image: ' + provenanceText(s.imageProvenance)),
    el('ul', { class: 'small' }, s.captions.map((c) => el('li', {}, '"' + c.text + '" ', badge(c.origin), el('span', { class: 'muted' }, ' ' + provenanceText(c)))))));
  const pager = el('div', { class: 'toolbar' },
    el('button', { disabled: offset <= 0, onclick: () => go({ offset: String(Math.max(0, offset - 24)) }) }, 'Previous'),
    el('span', { class: 'small' }, `${data.total ? offset + 1 : 0}-${Math.min(data.total, offset + 24)} of ${data.total}`),
    el('button', { disabled: offset + 24 >= data.total, onclick: () => go({ offset: String(offset + 24) }) }, 'Next'));
  render(el('h1', {}, 'Samples'),
    el('div', { class: 'toolbar' }, 'Run ', runSelect, ' source ', sourceSelect, ' class ', classSelect,
      el('span', { class: 'small muted' }, `${data.human} human, ${data.synthetic} synthetic in this run`)),
    el('div', { class: 'gallery', id: 'gallery' }, cards), pager);
}

function provenanceText(p) {
  if (!p) return '';
  return p.origin === 'human' ? 'human, ' + p.source : `synthetic, ${p.source}${p.version ? '@' + p.version : ''}${p.seed !== undefined ? ' seed ' + p.seed : ''}`;
}

// ---------- Health ----------

async function pageHealth() {
  const h = await api('GET', '/api/v1/health');
  const kv = (obj) => el('table', {}, Object.entries(obj).map(([k, v]) => el('tr', {}, el('td', { class: 'muted' }, k), el('td', {}, v))));
  const m = h.memory;
  const used = m.heapUsed / m.heapMax;
  render(el('h1', {}, 'Health ', badge(h.status, h.status === 'ok' ? 'ok' : 'warn')),
    el('div', { class: 'row' },
      el('div', { class: 'card', id: 'health-framework' }, el('h2', {}, 'Framework'), kv({
        framework: h.framework.name + ' ' + h.framework.version, java: h.framework.java, uptime: fmtDuration(h.framework.uptimeMillis),
        bundles: Object.entries(h.framework.bundles).map(([s, n]) => n + ' ' + s).join(', ') })),
      el('div', { class: 'card', id: 'health-device' }, el('h2', {}, 'Device'), kv(h.device.available
        ? { device: h.device.description, default: h.device.default, GPUs: h.device.gpus } : { device: h.device.description }))),
    el('div', { class: 'row' },
      el('div', { class: 'card', id: 'health-memory' }, el('h2', {}, 'Memory'),
        el('div', { class: 'progress' }, el('div', { style: 'width:' + (100 * used).toFixed(1) + '%' })),
        kv({ heap: fmtBytes(m.heapUsed) + ' used of ' + fmtBytes(m.heapMax) + ' (committed ' + fmtBytes(m.heapCommitted) + ')',
          resident: m.resident ? fmtBytes(m.resident) : 'n/a', processors: m.processors })),
      el('div', { class: 'card', id: 'health-disk' }, el('h2', {}, 'Disk of the data directory'),
        el('div', { class: 'progress' }, el('div', { style: 'width:' + (100 * (1 - h.disk.usable / h.disk.total)).toFixed(1) + '%' })),
        kv({ path: h.disk.path, free: fmtBytes(h.disk.usable) + ' of ' + fmtBytes(h.disk.total) }))),
    el('div', { class: 'card', id: 'health-unsatisfied' }, el('h2', {}, 'Components not satisfied (' + h.unsatisfied.length + ')'),
      h.unsatisfied.length ? el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'component'), el('th', {}, 'bundle'), el('th', {}, 'waiting for'))),
        el('tbody', {}, h.unsatisfied.map((c) => el('tr', {},
          el('td', {}, c.kind ? c.kind + '/' + c.pluginName : c.name, el('div', { class: 'mono small muted' }, c.implementation)),
          el('td', { class: 'small' }, c.bundleName),
          el('td', {},
            c.configurations.flatMap((conf) => conf.unsatisfiedReferences.map((u) => el('div', { class: 'error' }, u.name + ': ' + u.missing))),
            c.configurations.filter((conf) => conf.failure).map((conf) => el('div', { class: 'error' }, conf.failure)))))))
        : el('p', { class: 'okText' }, 'every configured component is satisfied')),
    el('div', { class: 'card', id: 'health-awaiting' }, el('h2', {}, 'Waiting for a configuration (' + h.awaitingConfiguration.length + ')'),
      el('p', { class: 'muted small' }, 'Components that run once configured (e.g. a dataset importer given a file in runtime-config/).'),
      el('ul', { class: 'small' }, h.awaitingConfiguration.map((c) => el('li', {}, c.plugin || c.name, ' ',
        el('span', { class: 'mono muted' }, 'PID ' + c.configurationPid))))));
}

// ---------- start ----------

takeTokenFromUrl();
window.addEventListener('hashchange', route);
if (state.token) connectStream();
route();
