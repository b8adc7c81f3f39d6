// Checks HTML documents in the machine's own headless Chromium (no browser is
// downloaded): axe-core's accessibility rules, at a desktop and a phone's width;
// whether the page is wider than a 375 px phone; and every request the page makes
// (a self-contained document makes none but its own file).
//
//   node tests/axe.js NODE_MODULES FILE.html...   ->  JSON on standard output:
//   [{file, width, violations: [{id, impact, help, nodes: [html…]}],
//     scrollWidth, clientWidth, requests: [url…]}, …]
//
// NODE_MODULES is where `make test` installed axe-core and playwright-core
// (.venv/npm/node_modules); CHROMIUM names the browser (default /usr/bin/chromium).
"use strict";
const path = require("path");
const fs = require("fs");

const [given, ...files] = process.argv.slice(2);
const modules = path.resolve(given);
const { chromium } = require(path.join(modules, "playwright-core"));
const axeSource = fs.readFileSync(path.join(modules, "axe-core", "axe.min.js"), "utf8");

const ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

async function check(browser, file, width) {
  const context = await browser.newContext({ viewport: { width, height: 800 } });
  const page = await context.newPage();
  const url = "file://" + path.resolve(file);
  const requests = [];
  await page.route("**/*", (route) => {
    const asked = route.request().url();
    if (asked !== url) {
      requests.push(asked);
      return route.abort();
    }
    return route.continue();
  });
  await page.goto(url, { waitUntil: "load" });
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => n.html.slice(0, 300)),
    }));
  });
  const size = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    bodyScrollWidth: document.body.scrollWidth,
  }));
  await context.close();
  return { file, width, violations, requests, ...size };
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ARGS,
    headless: true,
  });
  try {
    const results = [];
    for (const file of files) {
      for (const width of [1200, 375]) {
        results.push(await check(browser, file, width));
      }
    }
    process.stdout.write(JSON.stringify(results));
  } finally {
    await browser.close();
  }
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(2);
});
