// A typed client of EtatMajor (issue 15): every call below goes through types generated from docs/openapi.json
// (openapi-typescript) and openapi-fetch, so a wrong path, a missing member or a value outside a closed set does not
// compile. It does what an integrator's first day does: a token, organisations and their clients, a CCOFSI with a
// member, the règlement intérieur acknowledged, an exchange sent and read back, and the auditor reading the log.
//   ETATMAJOR_URL (default http://localhost:5080), ETATMAJOR_ADMIN_ID / ETATMAJOR_ADMIN_SECRET (default: the development pair)
//   npm ci && npm run generate && npm run build && npm run tour
import createClient from "openapi-fetch";
import type { components, paths } from "./etatmajor.js";

type Schemas = components["schemas"];

const baseUrl = process.env.ETATMAJOR_URL ?? "http://localhost:5080";
const adminId = process.env.ETATMAJOR_ADMIN_ID ?? "dev-admin";
const adminSecret = process.env.ETATMAJOR_ADMIN_SECRET ?? "dev-admin-secret";
const run = Date.now().toString(36);
const motif = "Suivi des rassemblements du centre-ville";

/** An access token (OAuth2 client credentials); the token endpoint is OpenIddict's, outside the OpenAPI document. */
async function token(clientId: string, secret: string): Promise<string> {
  const response = await fetch(`${baseUrl}/connect/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: secret }),
  });
  if (!response.ok) {
    throw new Error(`token for ${clientId}: ${response.status} ${await response.text()}`);
  }
  return ((await response.json()) as { access_token: string }).access_token;
}

/** A typed client acting with this token. */
function as(accessToken: string) {
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${accessToken}` } });
}

/** The answer's data, or a stop that prints the problem (RFC 9457) the API gave. */
function ok<T>(step: string, result: { data?: T; error?: unknown; response: Response }): T {
  console.log(`${result.response.status} ${step}`);
  if (result.data === undefined) {
    throw new Error(`${step}: ${result.response.status} ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

const admin = as(await token(adminId, adminSecret));

// A département with no EMS yet (one EMS per département, COMP-1).
const instances = ok("GET /api/v1/instances", await admin.GET("/api/v1/instances", { params: { query: { limit: 500 } } }));
const used = new Set(instances.items.map((i) => i.departement));
const departement = Array.from({ length: 95 }, (_, i) => String(i + 1).padStart(2, "0")).find((d) => d !== "20" && !used.has(d));
if (!departement) {
  throw new Error("Every département already has an EMS: use a fresh database.");
}

async function organisation(body: Schemas["CreateOrganisation"]): Promise<Schemas["OrganisationDto"]> {
  return ok(`POST /api/v1/organisations (${body.kind})`, await admin.POST("/api/v1/organisations", { body }));
}

async function client(organisationId: string, displayName: string, scopes: Schemas["CreateClient"]["scopes"]) {
  const created = ok("POST /api/v1/clients", await admin.POST("/api/v1/clients", { body: { organisationId, displayName, scopes } }));
  return as(await token(created.clientId, created.clientSecret));
}

const prefet = await organisation({ kind: "prefet", code: `pref-${departement}-${run}`, name: "Préfecture", departement });
const procureur = await organisation({ kind: "procureur", code: `parquet-${departement}-${run}`, name: "Parquet", departement });
const police = await organisation({ kind: "police-nationale", code: `ddsp-${departement}-${run}`, name: "DDSP", departement });
const auditeur = await organisation({ kind: "auditeur", code: `audit-${run}`, name: "Délégué à la protection des données" });
const asPrefet = await client(prefet.id, "Logiciel de la préfecture", ["governance", "exchange"]);
const asPolice = await client(police.id, "Logiciel de la police", ["governance", "exchange"]);
const asAuditeur = await client(auditeur.id, "Outil du DPD", ["audit"]);

const ccofsi = ok("POST /api/v1/instances (ccofsi)", await asPrefet.POST("/api/v1/instances", {
  body: {
    kind: "ccofsi", departement, name: "CCOFSI du centre-ville", prefetOrganisationId: prefet.id, procureurOrganisationIds: [procureur.id],
    zsp: { name: "Centre-ville", communes: [`${departement}101`], forces: ["police-nationale"] },
  },
}));
ok("POST members", await asPrefet.POST("/api/v1/instances/{id}/members", { params: { path: { id: ccofsi.id } }, body: { organisationId: police.id } }));

ok("POST /api/v1/internal-rules", await asPrefet.POST("/api/v1/internal-rules", {
  body: {
    departement, version: "2026-1", adoptedByCdpdOn: "2026-01-15", cdpdDeliberationReference: "CDPD délibération 2026-01",
    proposedBy: "Groupe de travail du CDPD", inForceFrom: "2026-01-15",
    text: "Les informations confidentielles échangées ne sont communiquées à aucun tiers.",
  },
}));
for (const member of [asPrefet, asPolice]) {
  ok("POST acknowledgements", await member.POST("/api/v1/instances/{id}/internal-rules/current/acknowledgements", { params: { path: { id: ccofsi.id } } }));
}

const sent = ok("POST exchanges", await asPrefet.POST("/api/v1/instances/{id}/exchanges", {
  params: { path: { id: ccofsi.id }, header: { "X-Justification": motif } },
  body: { subject: "Situation hebdomadaire", body: "Trois rassemblements signalés rue des Lilas.", recipientOrganisationIds: [police.id] },
}));
const read = ok("GET exchange", await asPolice.GET("/api/v1/exchanges/{eid}", { params: { path: { eid: sent.id }, header: { "X-Justification": motif } } }));
if (read.subject !== "Situation hebdomadaire") {
  throw new Error(`The police read another subject: ${read.subject}`);
}

const log = ok("GET /api/v1/audit/events", await asAuditeur.GET("/api/v1/audit/events", { params: { query: { resourceId: sent.id } } }));
const actions = log.items.map((e) => e.action);
console.log(`The access log of the exchange: ${actions.join(", ")}`);
if (!actions.includes("exchange.send") || !actions.includes("exchange.read")) {
  throw new Error("The access log lacks the send or the read of the exchange.");
}
console.log("The typed client's tour is complete.");
