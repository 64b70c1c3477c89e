// Issue 15, point 4: Swagger UI as a person uses it, in a real browser (Debian's Chromium driven by playwright-core;
// never a downloaded browser). Against the running API (ETATMAJOR_URL, Development):
//   1. a world made through the API (the préfet's and the police's clients, a CCOFSI with the police as member, the
//      règlement acknowledged) — the préfet's client is the one a person would paste into Authorize;
//   2. /swagger opens; Authorize with that client's id and secret (the client credentials flow, through the UI);
//   3. Try it out on GET /api/v1/instances/{id}: 200;
//   4. Try it out on POST /api/v1/instances/{id}/exchanges to the mairie, a third party: 403 naming CONF-1.
// Screenshots of each step go to ETATMAJOR_SCREENSHOTS (default artifacts/browser). Exit code 0 when every step saw
// what it expected; otherwise 1, with the step and a screenshot of the page as it was.
import { mkdir } from "node:fs/promises";
import { chromium } from "playwright-core";

const url = process.env.ETATMAJOR_URL ?? "http://localhost:5080";
const shots = process.env.ETATMAJOR_SCREENSHOTS ?? "artifacts/browser";
const adminId = process.env.ETATMAJOR_ADMIN_ID ?? "dev-admin";
const adminSecret = process.env.ETATMAJOR_ADMIN_SECRET ?? "dev-admin-secret";
const run = Date.now().toString(36);
// Browsers send header values in ISO-8859-1: the motif typed in Swagger UI is plain ASCII.
const motif = "Suivi des rassemblements du centre-ville";

async function token(clientId, secret) {
  const response = await fetch(`${url}/connect/token`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: secret }),
  });
  if (!response.ok) throw new Error(`token for ${clientId}: ${response.status}`);
  return (await response.json()).access_token;
}

async function call(accessToken, method, path, body, expected) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${accessToken}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (response.status !== expected) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  const text = await response.text();
  return text ? JSON.parse(text) : {};
}

// 1. The world, through the API.
const admin = await token(adminId, adminSecret);
const { items } = await call(admin, "GET", "/api/v1/instances?limit=500", null, 200);
const used = new Set(items.map((i) => i.departement));
const departement = Array.from({ length: 95 }, (_, i) => String(i + 1).padStart(2, "0")).find((d) => d !== "20" && !used.has(d));
const organisation = (kind, code, extra = {}) =>
  call(admin, "POST", "/api/v1/organisations", { kind, code: `${code}-${run}`, name: code, departement, ...extra }, 201).then((o) => o.id);
const prefet = await organisation("prefet", "pref");
const procureur = await organisation("procureur", "parquet");
const police = await organisation("police-nationale", "ddsp");
const mairie = await organisation("maire", "mairie", { communeInsee: `${departement}101` });
const prefetClient = await call(admin, "POST", "/api/v1/clients", { organisationId: prefet, displayName: "Logiciel de la préfecture", scopes: ["governance", "exchange"] }, 201);
const policeClient = await call(admin, "POST", "/api/v1/clients", { organisationId: police, displayName: "Logiciel de la police", scopes: ["governance", "exchange"] }, 201);
const asPrefet = await token(prefetClient.clientId, prefetClient.clientSecret);
const asPolice = await token(policeClient.clientId, policeClient.clientSecret);
const ccofsi = (await call(asPrefet, "POST", "/api/v1/instances", {
  kind: "ccofsi", departement, name: "CCOFSI du centre-ville", prefetOrganisationId: prefet, procureurOrganisationIds: [procureur],
  zsp: { name: "Centre-ville", communes: [`${departement}101`], forces: ["police-nationale"] },
}, 201)).id;
await call(asPrefet, "POST", `/api/v1/instances/${ccofsi}/members`, { organisationId: police }, 201);
await call(asPrefet, "POST", "/api/v1/internal-rules", {
  departement, version: "2026-1", adoptedByCdpdOn: "2026-01-15", cdpdDeliberationReference: "CDPD 2026-01", proposedBy: "CDPD",
  inForceFrom: "2026-01-15", text: "Les informations confidentielles échangées ne sont communiquées à aucun tiers.",
}, 201);
for (const member of [asPrefet, asPolice]) {
  await call(member, "POST", `/api/v1/instances/${ccofsi}/internal-rules/current/acknowledgements`, null, 201);
}

// 2–4. The browser.
await mkdir(shots, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  // No sandbox (CI runs as root); no background traffic to the outside, which this closed network refuses.
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
let step = "open /swagger";
try {
  await page.goto(`${url}/swagger`);
  await page.locator(".swagger-ui .information-container").waitFor();
  await page.screenshot({ path: `${shots}/1-swagger-ui.png` });

  step = "authorize with the client's credentials";
  await page.locator(".auth-wrapper button.authorize").click();
  const modal = page.locator(".modal-ux");
  await modal.locator('input[data-name="clientId"]').fill(prefetClient.clientId);
  await modal.locator('input[data-name="clientSecret"]').fill(prefetClient.clientSecret);
  await modal.locator(".auth-btn-wrapper button.authorize").click();
  // Authorized: the dialog offers Logout instead (Swagger UI obtained the token from /connect/token).
  await modal.locator(".auth-btn-wrapper button", { hasText: "Logout" }).first().waitFor();
  await page.screenshot({ path: `${shots}/2-authorized.png` });
  await modal.locator("button.btn-done").first().click();

  step = "Try it out: GET /api/v1/instances/{id}";
  const read = await tryItOut(page, "operations-Governance-GetInstance", { id: ccofsi });
  expect(step, read.status === "200", `status ${read.status}`);
  expect(step, read.body.includes("CCOFSI du centre-ville"), "the instance in the answer");
  await page.screenshot({ path: `${shots}/3-get-instance-200.png`, fullPage: false });

  step = "Try it out: POST /api/v1/instances/{id}/exchanges to a third party";
  const refused = await tryItOut(page, "operations-Exchanges-SendExchange", { id: ccofsi, "X-Justification": motif },
    JSON.stringify({ subject: "Situation hebdomadaire", body: "Trois rassemblements signalés.", recipientOrganisationIds: [mairie] }, null, 2));
  expect(step, refused.status === "403", `status ${refused.status}`);
  expect(step, refused.body.includes("CONF-1"), "the rule in the answer");
  await page.screenshot({ path: `${shots}/4-send-exchange-403-conf1.png` });
  console.log(`Swagger UI in Chromium: authorized as a client, GET instance 200, a send to a third party 403 (CONF-1); screenshots in ${shots}`);
} catch (error) {
  await page.screenshot({ path: `${shots}/failed.png`, fullPage: true }).catch(() => {});
  console.error(`Swagger UI, step "${step}": ${error.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}

function expect(what, condition, detail) {
  if (!condition) throw new Error(`${what}: ${detail}`);
}

/** Expands an operation, presses Try it out, fills its parameters (and body), executes, and reads the live answer. */
async function tryItOut(page, operationId, parameters, body) {
  const operation = page.locator(`#${operationId}`);
  await operation.locator(".opblock-summary").first().click();
  await operation.locator("button.try-out__btn").click();
  for (const [name, value] of Object.entries(parameters)) {
    await operation.locator(`tr[data-param-name="${name}"] input`).fill(value);
  }
  if (body !== undefined) {
    await operation.locator("textarea.body-param__text").fill(body);
  }
  await operation.locator("button.execute").click();
  const response = operation.locator(".live-responses-table .response").first();
  await response.locator(".response-col_status").waitFor();
  // The answer in view for the screenshot (the curl line above it carries the throw-away token of this test world).
  await response.scrollIntoViewIfNeeded();
  return {
    status: (await response.locator(".response-col_status").innerText()).trim().split(/\s/)[0],
    body: await response.locator(".response-col_description").innerText(),
  };
}
