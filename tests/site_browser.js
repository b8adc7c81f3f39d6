// Visits every page of a site built by `kontrakt site` in the machine's own
// headless Chromium (no browser is downloaded), as tests/axe.js does for single
// documents: with JavaScript on, at a desktop's and a phone's width, it runs
// axe-core and notes console errors, failed scripts, requests that leave the
// site's folder, and whether the page is wider than the window; with
// JavaScript off, whether the page still shows its heading and content.
// With SCREENSHOTS=dir, it also saves each page's picture there (full page).
//
//   node tests/site_browser.js NODE_MODULES SITE_FOLDER PAGE.html...  ->  JSON:
//   [{page, width, js, violations: [{id, impact, help, nodes}], errors: [..],
//     requests: [url…], scrollWidth, clientWidth, h1, main}, …]
//
// NODE_MODULES is where `make test` installed axe-core and playwright-core
// (.venv/npm/node_modules); CHROMIUM names the browser (default /usr/bin/chromium).
"use strict";
const path = require("path");
const fs = require("fs");

const [given, folder, ...pages] = process.argv.slice(2);
const modules = path.resolve(given);
const site = path.resolve(folder);
const { chromium } = require(path.join(modules, "playwright-core"));
const axeSource = fs.readFileSync(path.join(modules, "axe-core", "axe.min.js"), "utf8");
const shots = process.env.SCREENSHOTS || "";
const TABS = Number(process.env.TABS || 4);
const WIDTHS = (process.env.WIDTHS || "1280,375").split(",").map(Number);

const ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

async function visit(context, page, width, js) {
  const tab = await context.newPage();
  const url = "file://" + path.join(site, page);
  const errors = [];
  const requests = [];
  tab.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  tab.on("pageerror", (error) => errors.push(String(error)));
  tab.on("requestfailed", (request) => {
    if (request.url().startsWith("file://" + site + "/")) errors.push("failed: " + request.url());
  });
  await tab.route("**/*", (route) => {
    const asked = route.request().url();
    if (!asked.startsWith("file://" + site + "/")) {
      requests.push(asked);
      return route.abort();
    }
    return route.continue();
  });
  await tab.goto(url, { waitUntil: "load" });
  let violations = [];
  if (js) {
    await tab.addScriptTag({ content: axeSource });
    violations = await tab.evaluate(async () => {
      // eslint-disable-next-line no-undef
      // preload: false, or axe fetches the style sheets again by XHR, which a page opened
      // from a folder (file:) may not do; the styles are applied all the same.
      const result = await axe.run(document, { resultTypes: ["violations"], preload: false });
      return result.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => n.html.slice(0, 300)),
      }));
    });
  }
  const facts = await tab.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    h1: (document.querySelector("main h1") || { textContent: "" }).textContent.trim(),
    main: (document.querySelector("main") || { textContent: "" }).textContent.trim().length,
  }));
  if (shots && js) {
    const name = page.replace(/[\/]/g, "_").replace(/\.html$/, "") + "-" + width + ".png";
    await tab.screenshot({ path: path.join(shots, name), fullPage: true });
  }
  await tab.close();
  return { page, width, js, violations, errors, requests, ...facts };
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ARGS,
    headless: true,
  });
  try {
    const results = [];
    for (const width of WIDTHS) {
      for (const js of [true, false]) {
        if (!js && width !== WIDTHS[0]) continue;  // without scripts: once, at the first width
        const context = await browser.newContext({
          viewport: { width, height: 900 }, javaScriptEnabled: js,
        });
        // A few tabs at a time: the pages are independent, and the browser is not.
        for (let start = 0; start < pages.length; start += TABS) {
          const batch = pages.slice(start, start + TABS);
          results.push(...(await Promise.all(batch.map((page) => visit(context, page, width, js)))));
        }
        await context.close();
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
