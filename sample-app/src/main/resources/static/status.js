// The status page of the hostsync sample. Every second it reads three JSON documents and redraws:
//   actuator/hostsync         the region, its participants and every lock's holders and figures
//   api/status                the sample's shared state: instances and their ports, prices, counters
//   actuator/health/hostsync  UP, or DOWN with this instance's problems; the host's (a torn lock,
//                             another instance's stuck writer) as hostProblems
// Every figure is host-wide: any instance's page shows the same host.
'use strict';

const REFRESH_MILLIS = 1000;

const LOCK_ROLES = {
  'prices': 'quotes read it · publishing prices writes it',
  'price-refresh': 'held by the instance refreshing prices; the others skip',
  'cluster-counter': 'the cluster counter (profile cohort): held with a lease in Redis, across hosts',
  'cluster-counter.cohort': 'the cluster counter’s gate to the host’s record of the lease',
  'default': 'the region’s default lock (unused by the sample)',
};

const page = {
  symbols: [],
  prices: {},
  previousPrices: {},
  priceVersion: null,
};

// ---------------------------------------------------------------- helpers

/** Creates an element with properties (class, title, data-*, …) and children (nodes or text). */
function h(tag, properties, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(properties || {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'class') {
      element.className = value;
    } else {
      element.setAttribute(name, value);
    }
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) {
      element.append(child instanceof Node ? child : String(child));
    }
  }
  return element;
}

function setText(id, text, className) {
  const element = document.getElementById(id);
  element.textContent = text;
  if (className !== undefined) {
    element.className = 'value ' + className;
  }
}

function replaceRows(tableId, rows) {
  document.querySelector('#' + tableId + ' tbody').replaceChildren(...rows);
}

function ago(iso) {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (seconds < 60) {
    return seconds + ' s ago';
  }
  if (seconds < 3600) {
    return Math.floor(seconds / 60) + ' min ago';
  }
  return Math.floor(seconds / 3600) + ' h ago';
}

function bytes(count) {
  return count >= 1048576 ? (count / 1048576).toFixed(1) + ' MiB' : Math.round(count / 1024) + ' KiB';
}

function duration(millis) {
  if (millis % 3600000 === 0) {
    return millis / 3600000 + ' h';
  }
  if (millis % 60000 === 0) {
    return millis / 60000 + ' min';
  }
  return millis % 1000 === 0 ? millis / 1000 + ' s' : millis + ' ms';
}

async function json(url) {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok && response.status !== 503) { // health answers 503 when DOWN, with the same body
    throw new Error(url + ' answered ' + response.status);
  }
  return response.json();
}

// ---------------------------------------------------------------- instances

/** Names a slot the way people know the instances: by port, when the instance recorded one. */
function instanceName(slot, ports) {
  const port = ports.get(slot);
  return port !== undefined ? ':' + port : 'slot ' + slot;
}

function renderParticipants(region, status, ports) {
  setText('participant-count', region.participants.length);
  replaceRows('participants', region.participants.map((participant) => {
    const port = ports.get(participant.slot);
    const name = port !== undefined
      ? h('a', { href: location.protocol + '//' + location.hostname + ':' + port + '/' }, ':' + port)
      : h('span', { class: 'muted' }, 'not a sample instance');
    return h('tr', { 'data-slot': participant.slot, class: participant.self ? 'self' : null },
      h('td', {}, participant.slot),
      h('td', { class: 'instance' }, name, participant.self ? h('span', { class: 'badge self' }, 'this page') : null),
      h('td', { class: 'pid' }, participant.pid),
      h('td', {}, participant.host),
      h('td', { class: 'muted' }, participant.pidNamespace || '–'),
      h('td', { title: participant.since }, ago(participant.since)));
  }));
}

// ---------------------------------------------------------------- locks

function lockState(lock) {
  const states = [];
  if (lock.host.writerSlot >= 0) {
    states.push(h('span', { class: 'badge write' }, 'write'));
  } else if (lock.host.readHolds > 0) {
    states.push(h('span', { class: 'badge read' }, 'read ×' + lock.host.readHolds));
  } else {
    states.push(h('span', { class: 'badge free' }, 'free'));
  }
  if (lock.possiblyTorn) {
    states.push(' ', h('span', { class: 'badge torn', title: 'A writer died holding it: check the data, then '
      + 'call markConsistent() holding the write lock' }, 'possibly torn'));
  }
  return states;
}

/** An owner of the write lock holds it once no one else reads; until then it waits for those readers to leave. */
function writerDraining(lock, writer) {
  return lock.holders.some((holder) => holder.slot !== writer.slot && holder.readHolds > 0);
}

function holdingChips(lock, ports) {
  const chips = [];
  for (const holder of lock.holders) {
    const name = instanceName(holder.slot, ports);
    if (holder.writer && !writerDraining(lock, holder)) {
      chips.push(h('span', { class: 'chip write', 'data-slot': holder.slot }, name + ' writes'));
    }
    if (holder.readHolds > 0) {
      chips.push(h('span', { class: 'chip read', 'data-slot': holder.slot }, name + ' reads ×' + holder.readHolds));
    }
  }
  return chips.length ? chips : [h('span', { class: 'muted' }, 'nobody')];
}

function waitingChips(lock, ports) {
  const chips = [];
  for (const holder of lock.holders) {
    const name = instanceName(holder.slot, ports);
    if (holder.writer && writerDraining(lock, holder)) {
      chips.push(h('span', { class: 'chip wait', 'data-slot': holder.slot }, name + ' waits to write (readers leaving)'));
    }
    if (holder.waitingWriters > 0) {
      chips.push(h('span', { class: 'chip wait', 'data-slot': holder.slot },
        name + ' waits to write' + (holder.waitingWriters > 1 ? ' ×' + holder.waitingWriters : '')));
    }
    if (holder.waitingReaders > 0) {
      chips.push(h('span', { class: 'chip wait', 'data-slot': holder.slot },
        name + ' waits to read' + (holder.waitingReaders > 1 ? ' ×' + holder.waitingReaders : '')));
    }
  }
  return chips.length ? chips : [h('span', { class: 'muted' }, 'nobody')];
}

function renderLocks(region, ports) {
  let recoveries = 0;
  replaceRows('locks', Object.entries(region.locks).map(([name, lock]) => {
    recoveries += lock.host.recoveries;
    const averageWait = lock.host.contendedAcquisitions > 0
      ? (lock.host.totalWaitMillis / lock.host.contendedAcquisitions).toFixed(1) + ' ms on average' : 'no waits';
    return h('tr', { 'data-lock': name },
      h('td', {}, h('span', { class: 'lock-name' }, name), h('span', { class: 'lock-role' }, LOCK_ROLES[name] || '')),
      h('td', { class: 'state' }, lockState(lock)),
      h('td', { class: 'holding' }, holdingChips(lock, ports)),
      h('td', { class: 'waiting' }, waitingChips(lock, ports)),
      h('td', { class: 'num reads' }, lock.host.readAcquisitions),
      h('td', { class: 'num writes' }, lock.host.writeAcquisitions),
      h('td', { class: 'num waited', title: averageWait }, lock.host.contendedAcquisitions),
      h('td', { class: 'num timeouts' }, lock.host.timeouts),
      h('td', { class: 'num recoveries' + (lock.host.recoveries > 0 ? ' alert' : '') }, lock.host.recoveries));
  }));
  setText('recoveries', recoveries, recoveries > 0 ? 'alert' : '');
}

// ---------------------------------------------------------------- the sample's state

function renderQuotes(status) {
  setText('quotes-admitted', status.quotes.admitted);
  setText('quotes-rejected', status.quotes.rejected);
  document.getElementById('rate-limit').textContent =
    'host limit: ' + status.quotes.maxQuotes + ' per ' + duration(status.quotes.windowMillis);
}

// With the profile cohort: the counter in Redis, this instance's host group and its cohort lock meters.
function renderCluster(status) {
  const cluster = status.cluster;
  document.getElementById('cluster-card').hidden = !cluster;
  if (cluster) {
    setText('cluster-counter', cluster.counter === null ? 'Redis?' : cluster.counter);
    document.getElementById('cluster-note').textContent = 'host group ' + cluster.hostGroup + ' · this instance: '
      + cluster.remoteAcquisitions + ' leases from Redis, ' + cluster.localHandoffs + ' local handoffs';
  }
}

function renderPrices(status) {
  const table = status.prices;
  if (table.version !== page.priceVersion) {
    page.previousPrices = page.priceVersion === null ? table.prices : page.prices;
    page.priceVersion = table.version;
  }
  page.prices = table.prices;
  page.symbols = Object.keys(table.prices);
  setText('price-version', 'v' + table.version);
  document.getElementById('price-published').textContent =
    ago(table.published) + ' by ' + table.publishedBy + ' · ' + table.reason;
  document.getElementById('prices-hint').textContent =
    'one table for the host · refreshed every ' + duration(status.refreshIntervalMillis) + ' by one instance';
  replaceRows('prices', Object.entries(table.prices).map(([symbol, price]) => {
    const before = page.previousPrices[symbol];
    const change = before ? (price - before) / before * 100 : 0;
    const arrow = change > 0 ? h('span', { class: 'up-arrow' }, '▲ ') : change < 0 ? h('span', { class: 'down-arrow' }, '▼ ') : '';
    return h('tr', { 'data-symbol': symbol },
      h('td', {}, symbol),
      h('td', { class: 'num price' }, Number(price).toFixed(2)),
      h('td', { class: 'num' }, arrow, change.toFixed(2) + ' %'));
  }));
}

function renderHealth(health) {
  const status = health.status || 'UNKNOWN';
  setText('health', status, status === 'UP' ? 'up' : 'down');
  const details = health.details || {};
  const problems = (details.problems || []).concat(details.hostProblems || []);
  document.getElementById('health-note').textContent =
    problems.length ? problems.join(' ') : 'no torn lock, no stuck writer';
}

// ---------------------------------------------------------------- refresh loop

async function refresh() {
  try {
    const [hostsync, status, health] = await Promise.all([
      json('actuator/hostsync'), json('api/status'), json('actuator/health/hostsync')]);
    const [regionName, region] = Object.entries(hostsync.regions)[0];
    const ports = new Map(status.instances.map((instance) => [instance.slot, instance.port]));
    document.getElementById('region-file').textContent = 'region ' + regionName + ' · ' + region.file;
    document.getElementById('region-usage').textContent =
      bytes(region.size) + ', ' + Math.round(region.used / region.size * 100) + ' % used';
    document.getElementById('self').textContent =
      'instance :' + status.self.port + ' (slot ' + status.self.slot + ', pid ' + status.self.pid + ')';
    renderParticipants(region, status, ports);
    renderLocks(region, ports);
    renderQuotes(status);
    renderCluster(status);
    renderPrices(status);
    renderHealth(health);
    const updated = document.getElementById('updated');
    updated.textContent = 'live · updated ' + new Date().toLocaleTimeString();
    updated.className = 'updated live';
    document.getElementById('error').hidden = true;
  } catch (error) {
    document.getElementById('updated').className = 'updated';
    const banner = document.getElementById('error');
    banner.textContent = 'This instance is not answering (' + error.message + '). Open the page of another instance.';
    banner.hidden = false;
  } finally {
    setTimeout(refresh, REFRESH_MILLIS);
  }
}

// ---------------------------------------------------------------- try it

async function requestQuotes() {
  const symbols = page.symbols.length ? page.symbols : ['ACME'];
  const requests = Array.from({ length: 60 }, (_, i) =>
    fetch('quotes/' + encodeURIComponent(symbols[i % symbols.length]) + '?quantity=' + (1 + i % 5)));
  const statuses = (await Promise.all(requests)).map((response) => response.status);
  const priced = statuses.filter((code) => code === 200).length;
  const rejected = statuses.filter((code) => code === 429).length;
  document.getElementById('try-result').textContent = statuses.length + ' requests: ' + priced + ' priced, '
    + rejected + ' rejected by the host’s rate limit (every instance counts toward it).';
}

async function publishPrices() {
  const moved = {};
  for (const [symbol, price] of Object.entries(page.prices)) {
    moved[symbol] = Math.round(price * (0.98 + Math.random() * 0.04) * 100) / 100;
  }
  const response = await fetch('prices', {
    method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(moved) });
  const table = await response.json();
  document.getElementById('try-result').textContent = response.ok
    ? 'Published version ' + table.version + ': it waited for the quotes in flight on every instance, and every '
      + 'instance now quotes from it.'
    : 'Publishing failed: ' + (table.detail || response.status);
}

document.getElementById('request-quotes').addEventListener('click', requestQuotes);
document.getElementById('publish-prices').addEventListener('click', publishPrices);
refresh();
