// The annotation page in a real browser: Debian's chromium driven by
// playwright-core against a real enrichd. It pastes an article, sets the
// reference date, checks that the highlighted mentions and the side panel
// match what the API answers for the same request, clicks an entity and
// checks all its mentions light up, reads a date's value, works from the
// keyboard, fits a 360 px wide screen, and saves a screenshot.
//
// Then a story as a browser copies a page (page-story.txt beside this file,
// written for this test): every part of the page is shown in its role,
// what is not the story greyed, as the API's article.blocks say.
//
// usage: node page.test.js ENRICHD ARTICLE SCREENSHOT
// (ARTICLE: the seed article when ../shared/eval is there, else the test's own)
"use strict";
const {spawn} = require("child_process");
const fs = require("fs");
const {chromium} = require("playwright-core");

const [enrichd, articlePath, screenshot] = process.argv.slice(2);
const article = fs.readFileSync(articlePath, "utf8");
let passed = 0, failed = 0;
function check(ok, name, detail) {
  if (ok) { passed++; console.log(`PASS ${name}`); } else { failed++; console.log(`FAIL ${name}: ${detail}`); }
}

function startServer() {
  return new Promise((resolve, reject) => {
    const p = spawn(enrichd, ["--bind", "127.0.0.1", "--port", "0", "--threads", "2", "--access-log", "off"],
                    {stdio: ["ignore", "ignore", "pipe"]});
    let err = "";
    p.stderr.on("data", (d) => {
      err += d;
      const m = /listening on \S+ port (\d+)/.exec(err);
      if (m) resolve({proc: p, port: Number(m[1])});
    });
    p.on("exit", (code) => reject(new Error(`enrichd exited ${code}: ${err}`)));
  });
}

(async () => {
  const server = await startServer();
  const base = `http://127.0.0.1:${server.port}`;
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
           "--disable-default-apps", "--no-first-run"],
  });
  try {
    const page = await browser.newPage({viewport: {width: 1280, height: 900}});
    const external = [];
    page.on("request", (r) => { if (!r.url().startsWith(base)) external.push(r.url()); });
    const served = await page.goto(base + "/");
    check(await page.title() === "enrich: a story at a glance", "the page is served at /", await page.title());
    const csp = served.headers()["content-security-policy"] || "";
    check(csp.includes("default-src 'none'") && csp.includes("connect-src 'self'"),
          "the page runs under a Content-Security-Policy that allows only itself", csp);

    // what the API answers for the same request
    const api = await (await fetch(`${base}/v1/enrich?offsets=utf16&reference_date=2024-07-11`, {
      method: "POST", headers: {"Content-Type": "text/plain; charset=utf-8"}, body: article})).json();

    await page.fill("#article", article);
    await page.fill("#refdate", "2024-07-11");
    await page.click("#run");
    await page.waitForSelector("#p-entities li", {timeout: 15000});

    // every mention is highlighted, with the API's text, in order (a
    // mention cut by a date's or a quote's border is two marks)
    const want = api.entities.flatMap((e) => e.mentions.map((m) => ({id: e.id, start: m.start, text: m.text})))
      .sort((x, y) => x.start - y.start);
    const marks = await page.$$eval("#text mark.ent", (ms) => ms.map((m) => ({id: m.dataset.entity, text: m.textContent})));
    check(marks.map((m) => m.text).join("") === want.map((w) => w.text).join(""),
          `the highlighted text is exactly the API's ${want.length} mentions`, marks.map((m) => m.text).join("|").slice(0, 200));
    check(marks.length >= want.length && new Set(marks.map((m) => m.id)).size === api.entities.length,
          "every entity has its highlights", `${marks.length} marks for ${want.length} mentions`);

    // the whole article is shown, unchanged
    const shown = await page.$eval("#text", (t) => t.textContent);
    check(shown === article, "the annotated text is the article itself", `${shown.length} vs ${article.length}`);

    // the side panel
    const a = api.article;
    const headline = await page.$eval("#p-headline", (e) => e.textContent);
    check(headline === (a.headline ? a.headline.text : "(none)"), "panel: the headline", headline);
    const dateline = await page.$eval("#p-dateline", (e) => e.textContent);
    check(!a.dateline || (dateline.includes(a.dateline.text) && (!a.dateline.city || dateline.includes(a.dateline.city))),
          "panel: the dateline", dateline);
    const bylines = await page.$$eval("#p-bylines li", (ls) => ls.map((l) => l.textContent));
    check(bylines.length === a.bylines.length && a.bylines.every((b, i) => bylines[i] === `${b.name} (${b.role})`),
          "panel: the bylines", JSON.stringify(bylines));
    const related = await page.$$eval("#p-related li", (ls) => ls.map((l) => l.textContent));
    check(related.length === api.related.length && api.related.every((r, i) => related[i] === (r.title || r.url)),
          "panel: the related stories", JSON.stringify(related));
    const ents = await page.$$eval("#p-entities li", (ls) => ls.length);
    check(ents === api.entities.length, "panel: every entity listed", `${ents} vs ${api.entities.length}`);
    const quotes = await page.$$eval("#p-quotes li", (ls) => ls.length);
    check(quotes === api.quotes.length, "panel: every quote listed", `${quotes} vs ${api.quotes.length}`);
    const raw = JSON.parse(await page.$eval("#raw", (e) => e.textContent));
    check(JSON.stringify(raw.entities) === JSON.stringify(api.entities), "the raw JSON is the API's", "differs");

    // clicking an entity lights up all its mentions
    const many = api.entities.filter((e) => e.mentions.length > 1).sort((x, y) => y.mentions.length - x.mentions.length)[0];
    if (many) {
      await page.click(`mark.ent[data-entity="${many.id}"]`);
      const lit = await page.$$eval("mark.ent.active", (ms) => [...new Set(ms.map((m) => m.dataset.entity))]);
      const litCount = await page.$$eval(`mark.ent.active`, (ms) => ms.length);
      check(lit.length === 1 && lit[0] === many.id && litCount >= many.mentions.length,
            `clicking ${many.name} highlights its ${many.mentions.length} mentions`, `${lit} ${litCount}`);
    } else {
      check(false, "an entity with two mentions or more to click", "none in the answer");
    }

    // a date shows its value on hover
    if (api.dates.length) {
      const d = api.dates[0];
      await page.hover("#text .date");
      const tipText = await page.$eval("#tip", (t) => t.style.display === "block" ? t.textContent : "");
      check(tipText === d.value, `hovering "${d.text}" shows ${d.value}`, tipText);
    }

    // keyboard only: tab to an entity, press Enter
    await page.click("#refdate");
    await page.evaluate(() => document.querySelector("mark.ent").scrollIntoView());
    let focused = null;
    for (let i = 0; i < 40 && !focused; i++) {
      await page.keyboard.press("Tab");
      focused = await page.evaluate(() => document.activeElement && document.activeElement.matches("mark.ent")
        ? document.activeElement.dataset.entity : null);
    }
    if (focused) await page.keyboard.press("Enter");
    const litByKey = focused && await page.$$eval(`mark.ent.active[data-entity="${focused}"]`, (ms) => ms.length);
    check(focused && litByKey > 0, "an entity is reached with Tab and selected with Enter", focused);

    await page.screenshot({path: screenshot, fullPage: true});
    check(fs.statSync(screenshot).size > 10000, `screenshot saved to ${screenshot}`, "empty");

    // readable at 360 px: no sideways scrolling
    await page.setViewportSize({width: 360, height: 780});
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, "fits a 360 px wide screen", `${overflow} px too wide`);

    // a page as a browser copies it: the roles shown
    await page.setViewportSize({width: 1280, height: 900});
    const story = fs.readFileSync(require("path").join(__dirname, "page-story.txt"), "utf8");
    const apiPage = await (await fetch(`${base}/v1/enrich?offsets=utf16&reference_date=2019-11-19`, {
      method: "POST", headers: {"Content-Type": "text/plain; charset=utf-8"}, body: story})).json();
    await page.fill("#article", story);
    await page.fill("#refdate", "2019-11-19");
    await page.click("#run");
    // the seed's result also has a headline: wait for this story's own
    await page.waitForFunction(() => [...document.querySelectorAll("#text .r-headline")]
      .some((h) => h.textContent.startsWith("City council approves")), null, {timeout: 15000});
    const shownRoles = await page.$$eval("#text .blk", (bs) => {
      const seen = new Map();
      bs.forEach((b) => { if (!seen.has(b.dataset.block)) seen.set(b.dataset.block, b.dataset.role); });
      return [...seen.values()];
    });
    const apiRoles = apiPage.article.blocks.map((b) => b.role);
    check(JSON.stringify(shownRoles) === JSON.stringify(apiRoles), "every block of the page shown in the API's role",
          `${shownRoles.join(",")} vs ${apiRoles.join(",")}`);
    const roleOf = (start) => page.evaluate((st) => {
      const b = [...document.querySelectorAll("#text .blk")].find((x) => x.textContent.startsWith(st));
      return b ? [b.dataset.role, getComputedStyle(b).color] : [null, null];
    }, start);
    const [hl] = await roleOf("City council approves");
    check(hl === "headline", "the headline is marked", hl);
    const [share, shareColor] = await roleOf("Share on Facebook");
    const [body, bodyColor] = await roleOf("The city council voted");
    check(share === "boilerplate" && body === "body" && shareColor !== bodyColor,
          "share buttons are greyed, the story is not", `${share} ${shareColor} / ${body} ${bodyColor}`);
    const [cap] = await roleOf("A cyclist rides");
    check(cap === "caption", "the caption is greyed as a caption", cap);
    const [rel] = await roleOf("Downtown parking rates");
    check(rel === "related_item", "the related block is marked", rel);
    const shownStory = await page.$eval("#text", (t) => t.textContent);
    check(shownStory === story, "the page-like story is shown whole", `${shownStory.length} vs ${story.length}`);
    await page.screenshot({path: screenshot.replace(/\.png$/, "-roles.png"), fullPage: true});

    check(external.length === 0, "no request leaves the server (no CDN, no fonts)", external.join(" "));
  } finally {
    await browser.close();
    server.proc.kill("SIGTERM");
  }
  console.log(`browser: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(1); });
