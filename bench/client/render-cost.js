// The web app's cost per pushed message against how much history the open thread holds (docs/benchmarks.md, "the web
// app's cost per pushed message"). Alice holds HELD messages of her thread with Pat Portal (the demo data), Pat sends N
// more through the API (each pushed, read and receipted live), and Alice's page's main-thread time per message is read
// from Chromium's metrics (Performance.getMetrics over CDP). TRACE=1 also writes a Chromium trace to trace.json;
// ALL_THREADS=1 has the sidebar hold all of Alice's threads.
//
// Run the product with demo data and a send limit that lets the script fill the thread, then this script with the Node
// and Playwright that the browser tests' build brings (nothing is downloaded):
//   ClinicChat__RateLimits__Send__PerUser=100000 ClinicChat__RateLimits__Send__PerIp=100000 dotnet run --project src/Web
//   PW=tests/Browser.Tests/bin/Debug/net10.0/.playwright
//   BASE=http://localhost:5080 PLAYWRIGHT=$PWD/$PW/package $PW/node/linux-x64/node bench/client/render-cost.js 1000
const { chromium } = require(process.env.PLAYWRIGHT);
const base = process.env.BASE ?? 'http://localhost:5080';
const held = Number(process.argv[2] ?? 50);
async function api(email) {
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-ClinicChat-Request': '1' }, body: JSON.stringify({ email, password: 'Demo!2345' }) });
  if (!login.ok) throw new Error(`login ${email}: ${login.status}`);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return async (method, path, body) => {
    const r = await fetch(`${base}${path}`, { method, headers: { 'Content-Type': 'application/json', 'X-ClinicChat-Request': '1', Cookie: cookie }, body: body ? JSON.stringify(body) : undefined });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return r.status === 204 ? null : r.json();
  };
}
(async () => {
  const alice = await api('alice.clinician@northside.example');
  const pat = await api('pat.portal@example.com');
  const threads = await alice('GET', '/api/v1/conversations');
  const list = threads.threads ?? threads.items ?? threads;
  const thread = list.find((t) => t.patientName === 'Pat Portal');
  const id = thread.id;
  const page = await alice('GET', `/api/v1/conversations/${id}/messages?limit=1`);
  for (let i = page.lastSeq ?? 0; i < held; i++) {
    await alice('POST', `/api/v1/conversations/${id}/messages`, { clientMessageId: `fill-${held}-${i}-${Date.now()}`, text: `History ${i}: the quick brown fox jumps over the lazy dog.` });
  }
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: base });
  const p = await context.newPage();
  await p.goto('/');
  await p.getByRole('textbox', { name: 'Email' }).fill('alice.clinician@northside.example');
  await p.getByRole('textbox', { name: 'Password' }).fill('Demo!2345');
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.getByRole('button', { name: 'Sign out' }).waitFor();
  await p.goto(`/#/chat/${id}`);
  // ALL_THREADS=1: the sidebar holds every thread Alice has (its "Show more" pressed until it goes), not only its first page.
  await p.locator('.thread-item').first().waitFor();
  while (process.env.ALL_THREADS && (await p.getByRole('button', { name: 'Show more' }).count())) {
    await p.getByRole('button', { name: 'Show more' }).click();
    await p.waitForTimeout(300);
  }
  await p.getByRole('log').getByRole('article').first().waitFor();
  while (await p.getByRole('button', { name: 'Load earlier messages' }).count()) {
    const had = await p.getByRole('log').getByRole('article').count();
    await p.getByRole('log').evaluate((el) => { el.scrollTop = 0; });
    await p.waitForFunction((n) => document.querySelectorAll('[role=log] article').length > n || !document.querySelector('.load-older'), had, { timeout: 10000 }).catch(() => undefined);
  }
  await p.getByRole('log').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  const count = await p.getByRole('log').getByRole('article').count();
  const cdp = await context.newCDPSession(p);
  await cdp.send('Performance.enable');
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  if (process.env.TRACE) await browser.startTracing(p, { path: 'trace.json', categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink', 'cc', 'gpu', 'viz'] });
  // The page notes the text of each message article added to the log, and the script polls that list: a Playwright text
  // locator would scan every element of the page on each poll, a cost of the harness's own that grows with the history
  // held and lands in the page's metrics.
  await p.getByRole('log').evaluate((log) => {
    window.arrived = [];
    new MutationObserver((changes) => {
      for (const change of changes) {
        for (const node of change.addedNodes) {
          if (node.nodeType === Node.ELEMENT_NODE) window.arrived.push(node.textContent);
        }
      }
    }).observe(log, { childList: true, subtree: true });
  });
  const before = await metrics();
  const n = Number(process.env.N ?? 30);
  for (let i = 0; i < n; i++) {
    const text = `Pushed ${i} at ${Date.now()}`;
    await pat('POST', `/api/v1/conversations/${id}/messages`, { clientMessageId: `push-${Date.now()}-${i}`, text });
    await p.waitForFunction((t) => window.arrived.some((a) => a.includes(t)), text, { polling: 50 });
  }
  await p.waitForTimeout(1000);
  const after = await metrics();
  if (process.env.TRACE) await browser.stopTracing();
  const per = (k) => ((after[k] - before[k]) * 1000 / n).toFixed(2);
  console.log(`held ${count} articles, ${await p.locator('.thread-item').count()} sidebar rows: per pushed message script ${per('ScriptDuration')} ms, layout ${per('LayoutDuration')} ms, style ${per('RecalcStyleDuration')} ms, task ${per('TaskDuration')} ms`);
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
