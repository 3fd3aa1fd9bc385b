// browser.test.js - imrsearch serve in a real browser: Debian's chromium, driven by
// playwright-core. It indexes the seed letters, starts `imrsearch serve` on a free port, types a
// query, clicks a facet and checks that the counts change and agree with the command line,
// opens a letter, downloads the CSV, opens the report, uses the "/" shortcut, and checks that
// the console stayed free of errors (a Content-Security-Policy violation is one). Screenshots of
// each page go to $IMR_BUILD/web/. Exit status: 0 passed, 1 failed, 77 skipped (no
// playwright-core: run `npm ci` here; or no chromium).
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const SKIP = 77;
const CHROMIUM = '/usr/bin/chromium';
const build = process.env.IMR_BUILD, src = process.env.IMR_SRC;
if (!build || !src) {
  console.error('browser.test.js: run through ctest (IMR_BUILD and IMR_SRC)');
  process.exit(2);
}
let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (e) {
  console.log('skipped: playwright-core is not installed; run `npm ci` in tests/web (.ci/deps does)');
  process.exit(SKIP);
}
if (!fs.existsSync(CHROMIUM)) {
  console.log(`skipped: no ${CHROMIUM} (Debian's chromium package; .ci/deps installs it)`);
  process.exit(SKIP);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'imr-web.'));
const shots = path.join(build, 'web');
fs.mkdirSync(shots, { recursive: true });
const db = path.join(tmp, 'seeds.db');
const env = { ...process.env, IMRSEARCH_DB: db, IMRSEARCH_NO_TIMING: '1', NO_COLOR: '1' };
let passed = 0, failed = 0;

function check(name, ok, detail) {
  if (ok) {
    passed++;
  } else {
    failed++;
    console.error(`FAIL: ${name}${detail === undefined ? '' : ': ' + detail}`);
  }
}
function equal(name, got, want) {
  check(name, got === want, `got [${got}], want [${want}]`);
}

/* The command line's totals for the same search, as the page writes them. */
function cliTotals(args) {
  const r = spawnSync(path.join(build, 'imrsearch'), ['--format', 'json', ...args], { env });
  const d = JSON.parse(r.stdout.toString());
  const n = (k, w) => `${k} ${w}${k === 1 ? '' : 's'}`;
  return `${n(d.total_items, 'item')} in ${n(d.total_letters, 'letter')}`;
}

/* Starts the server on a free port; resolves with its address once it says it listens. */
function startServer() {
  const server = spawn(path.join(build, 'imrsearch'), ['serve', '--port', '0'],
                       { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /^listening on (http:\/\/\S+)\/$/m.exec(out);
      if (m) resolve({ server, url: m[1] });
    });
    server.on('exit', (code) => reject(new Error(`imrsearch serve exited with ${code}`)));
  });
}

async function main() {
  const index = spawnSync(path.join(build, 'imrindex'),
                          ['--db', db, '-q', path.join(src, 'corpus', 'letters')], { env });
  equal('imrindex', index.status, 0);
  const { server, url } = await startServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
                                          args: ['--no-sandbox'] });
  const consoleErrors = [];
  try {
    const context = await browser.newContext({ acceptDownloads: true,
                                               viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    const totals = async () => (await page.textContent('#totals')).replace(/,.*$/, '').trim();

    // The home page, then a query typed into the box.
    await page.goto(url + '/');
    await page.fill('#q', 'cold');
    await Promise.all([page.waitForURL(/\?q=cold$/), page.press('#q', 'Enter')]);
    equal('search: totals', await totals(), cliTotals(['cold']));
    check('search: a marked snippet', await page.locator('.snippet mark').count() > 0);
    check('search: decision badges', await page.locator('.hit .badge').count() > 0);
    await page.screenshot({ path: path.join(shots, 'search.png'), fullPage: true });

    // A facet: the region lumbar; the counts change, agree with the command line, and the
    // value shows as selected.
    const before = await totals();
    const lumbar = page.locator('section[data-facet=region] a', { hasText: 'lumbar' });
    await Promise.all([page.waitForURL(/region=lumbar/), lumbar.click()]);
    const after = await totals();
    check('facet: counts change', after !== before, `still ${after}`);
    equal('facet: totals', after, cliTotals(['--region', 'lumbar', 'cold']));
    equal('facet: selected', await page.getAttribute(
      'section[data-facet=region] a.on', 'aria-pressed'), 'true');
    await page.screenshot({ path: path.join(shots, 'facet.png'), fullPage: true });

    // Grouped by letter: a heading per letter, the same totals.
    await Promise.all([page.waitForURL(/letters=1/), page.click('text=Group by letter')]);
    check('grouped: letter headings', await page.locator('li.letter-group').count() > 0);
    equal('grouped: totals', await totals(), after);
    await page.screenshot({ path: path.join(shots, 'grouped.png'), fullPage: true });
    await Promise.all([page.waitForURL((u) => !/letters=1/.test(u)), page.click('text=List items')]);

    // The CSV download: a BOM, then the command line's csv of the same search.
    const [download] = await Promise.all([page.waitForEvent('download'),
                                          page.click('text=Export CSV')]);
    equal('csv: file name', download.suggestedFilename(), 'imrsearch.csv');
    const csv = fs.readFileSync(await download.path());
    equal('csv: BOM', csv.subarray(0, 3).toString('hex'), 'efbbbf');
    const want = spawnSync(path.join(build, 'imrsearch'),
                           ['--format', 'csv', '--limit', '10000', '--region', 'lumbar', 'cold'],
                           { env }).stdout;
    check('csv: as the command line', csv.subarray(3).equals(want));

    // A letter, opened from the first hit: its items outlined, the query's words marked, a
    // jump to the first match.
    await Promise.all([page.waitForURL(/\/letter\//), page.click('.hit a.item >> nth=0')]);
    check('letter: items outlined', await page.locator('li.item-box').count() > 0);
    check('letter: words marked', await page.locator('pre.letter-text mark').count() > 0);
    await page.click('nav.jumps a >> nth=0');
    check('letter: jump', page.url().endsWith('#m1'), page.url());
    await page.screenshot({ path: path.join(shots, 'letter.png'), fullPage: true });

    // The "/" shortcut puts the cursor in the search box.
    await page.click('h1');
    await page.keyboard.press('/');
    equal('shortcut: focus', await page.evaluate(() => document.activeElement.id), 'q');

    // A query whose words are read as facets says so, as the command line does.
    await page.fill('#q', 'overturned knee');
    await Promise.all([page.waitForURL(/overturned/), page.press('#q', 'Enter')]);
    check('reading: shown', (await page.textContent('p.reading')).startsWith(
      'read as: decision overturned · region knee'));
    equal('reading: totals', await totals(), cliTotals(['overturned', 'knee']));
    await page.screenshot({ path: path.join(shots, 'reading.png'), fullPage: true });

    // Few matches: the items of their kind follow under their own heading, outside the totals.
    await page.fill('#q', 'game ready upheld');
    await Promise.all([page.waitForURL(/game/), page.press('#q', 'Enter')]);
    equal('related: totals', await totals(), cliTotals(['game', 'ready', 'upheld']));
    check('related: heading', (await page.textContent('h2.related')).startsWith(
      '5 more items of the same kind'));
    equal('related: items', await page.locator('ol.related .hit').count(), 5);
    await page.screenshot({ path: path.join(shots, 'related.png'), fullPage: true });

    // The report: a table with overturn rates, and the charts.
    await page.goto(url + '/?q=cold');
    await Promise.all([page.waitForURL(/\/report/), page.click('header nav >> text=Report')]);
    check('report: table', await page.locator('table.counts').count() === 1);
    check('report: charts', await page.locator('svg.chart').count() === 2);
    check('report: overturn rate', (await page.textContent('table.counts thead')).includes('overturn rate'));
    await page.screenshot({ path: path.join(shots, 'report.png'), fullPage: true });

    equal('console errors', consoleErrors.join(' | '), '');

    // An invalid query: the command line's message beside the box (the 400 is the console's
    // only error).
    consoleErrors.length = 0;
    await page.fill('#q', '"cold unit');
    await Promise.all([page.waitForNavigation(), page.press('#q', 'Enter')]);
    equal('bad query: message', await page.textContent('p.error'),
          'invalid query: unbalanced quote (at column 1): "cold unit');
    await page.screenshot({ path: path.join(shots, 'error.png'), fullPage: true });
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
  equal('bad query: console', consoleErrors.join(' | '),
        'Failed to load resource: the server responded with a status of 400 (Bad Request)');
}

main().catch((e) => {
  failed++;
  console.error('FAIL:', e && e.stack ? e.stack : e);
}).finally(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`${passed} passed, ${failed} failed; screenshots in ${shots}`);
  process.exit(failed ? 1 : 0);
});
