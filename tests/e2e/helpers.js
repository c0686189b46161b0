// Shared helpers for browser end-to-end tests: a COOP/COEP static server for dist/ and a headless Chromium
// launched through playwright-core (Debian's /usr/bin/chromium; never a downloaded browser).
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');

const ROOT = path.resolve(__dirname, '..', '..');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}

async function startServer(extraArgs = []) {
  const port = await freePort();
  const proc = spawn('/usr/bin/python3', [path.join(ROOT, 'scripts', 'serve.py'), '--port', String(port), '--quiet',
    '--dir', path.join(ROOT, 'dist'), ...extraArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => { if (String(d).includes('serving')) resolve(); });
    proc.on('exit', (code) => reject(new Error('server exited ' + code)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => proc.kill() };
}

async function launchBrowser() {
  const { chromium } = require(path.join(ROOT, 'node_modules', 'playwright-core'));
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recluster-chromium-'));
  const context = await chromium.launchPersistentContext(userDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader'],
  });
  return { context, close: async () => { await context.close(); fs.rmSync(userDir, { recursive: true, force: true }); } };
}

// Opens the app and records console errors, page errors and every request's URL.
async function openApp(context, url) {
  const page = await context.newPage();
  const log = { errors: [], requests: [] };
  page.on('console', (m) => { if (m.type() === 'error') log.errors.push(m.text()); });
  // A page error keeps its stack (a WASM trap names the functions when the build has names).
  page.on('pageerror', (e) => log.errors.push(String(e) + (e.stack ? '\n' + e.stack : '')));
  page.on('request', (r) => log.requests.push(r.url()));
  await page.goto(url);
  await page.waitForFunction(() => window.recluster && window.recluster.ready, null, { timeout: 30000 });
  await page.evaluate(() => window.recluster.ready.then(() => true));
  return { page, log };
}

// Distinct colours of a PNG (decoded by the page's own canvas; no PNG library needed), sampling every `step`-th
// pixel; {w, h, colors}.
async function pngColors(page, png, step = 7) {
  return page.evaluate(async ([b64, stride]) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4 * stride) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return { w: img.width, h: img.height, colors: seen.size };
  }, [Buffer.from(png).toString('base64'), step]);
}

// Distinct colours in a screenshot of the page.
async function distinctColors(page) {
  return (await pngColors(page, await page.screenshot())).colors;
}

// Clicks the centre of a named widget (the app publishes widget rectangles in state().view.widgets), waiting
// until it is on screen.
async function clickWidget(page, name) {
  const handle = await page.waitForFunction((n) => {
    const w = window.recluster.state().view;
    return w && w.widgets && w.widgets[n];
  }, name, { timeout: 10000 });
  const [x, y, w, h] = await handle.jsonValue();
  await page.mouse.click(x + w / 2, y + h / 2);
  await page.waitForTimeout(100);
}

// Opens a combo or popup by its widget and clicks one of its items. A click can land while the layout is still
// settling (a panel growing) and miss: the opener is clicked again until the item shows (three tries).
async function pickFromPopup(page, opener, item) {
  for (let attempt = 0; ; attempt++) {
    await clickWidget(page, opener);
    try {
      await page.waitForFunction((n) => { const w = window.recluster.state().view; return w && w.widgets && w.widgets[n]; }, item, { timeout: 3000 });
      break;
    } catch (e) {
      if (attempt === 2) {
        const shown = await page.evaluate(() => Object.keys(window.recluster.state().view.widgets || {}).join(', '));
        throw new Error(`${item} did not show after clicking ${opener} three times; widgets on screen: ${shown}`);
      }
    }
  }
  await clickWidget(page, item);
}

// Types a value into a named ImGui slider (ctrl+click turns it into a text field) and presses Enter.
async function typeIntoSlider(page, name, text) {
  await page.keyboard.down('Control');
  await clickWidget(page, name);
  await page.keyboard.up('Control');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

// Makes a local file reachable from the page as `bench/<name>` under dist/ (a symlink), so benchmarks load big
// CSVs like a user-given URL instead of passing a giant string through the driver. Returns {url, remove}.
function linkIntoSite(file) {
  const linkDir = path.join(ROOT, 'dist', 'bench');
  fs.mkdirSync(linkDir, { recursive: true });
  const link = path.join(linkDir, path.basename(file));
  fs.rmSync(link, { force: true });
  fs.symlinkSync(path.resolve(file), link);
  return { url: 'bench/' + path.basename(file), remove: () => fs.rmSync(link, { force: true }) };
}

module.exports = { ROOT, startServer, launchBrowser, openApp, distinctColors, pngColors, clickWidget, pickFromPopup, typeIntoSlider, linkIntoSite };
