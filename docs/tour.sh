#!/usr/bin/env bash
# The tour of EtatMajor, against a running API in Development. From the repository's folder:
#
#   dotnet run --project src/Api        # in one terminal
#   bash docs/tour.sh                   # in another
#
# It walks through the product: a token, organisations and their clients, an EMS and a CCOFSI, their
# members and participants, the CDPD's règlement intérieur and its acknowledgements, an exchange that arrives, one refused by
# CONF-1, one refused by CONF-2, and an auditor who reads the access log and verifies an export offline.
# Each request prints its method, path and HTTP status; the tour stops at the first unexpected status,
# shows the answer, and exits non-zero. It can run again on the same database (its codes are unique).
#
# Settings: ETATMAJOR_URL (default http://localhost:5080), ETATMAJOR_ADMIN_ID and ETATMAJOR_ADMIN_SECRET
# (default: the development pair). Needs bash, curl and jq (installed when missing).
# docs/getting-started.md shows the same commands, one step at a time; a test keeps the two the same.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v jq >/dev/null 2>&1; then
  echo "Installing jq…" >&2
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  $sudo apt-get install -y -qq jq >/dev/null 2>&1 || { $sudo apt-get update -qq && $sudo apt-get install -y -qq jq >/dev/null; }
fi

# --- 0. Where the API is, and a helper that calls it --------------------------------------------------
URL=${ETATMAJOR_URL:-http://localhost:5080}
ADMIN_ID=${ETATMAJOR_ADMIN_ID:-dev-admin}
ADMIN_SECRET=${ETATMAJOR_ADMIN_SECRET:-dev-admin-secret}
RUN=$(date +%s)
WORK=$(mktemp -d)
START=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# call EXPECTED METHOD PATH [JSON [CURL OPTIONS…]]: acts as $AS (an access token), giving $WHY as the motif when set
# (X-Justification, required to read or send personal data: LOG-1); prints "METHOD PATH → STATUS" and returns
# the answer's body; on any other status, prints the answer and stops. header NAME: a header of the last answer.
call() {
  local expected=$1 method=$2 path=$3 body=${4:-} status
  shift $(($# < 4 ? $# : 4))
  status=$(curl -sS -o "$WORK/answer" -D "$WORK/headers" -w '%{http_code}' -X "$method" "$URL$path" \
    -H "Authorization: Bearer $AS" -H 'Content-Type: application/json' ${WHY:+-H "X-Justification: $WHY"} \
    ${body:+--data-binary "$body"} "$@")
  checked "$expected" "$method" "$path" "$status"
}

header() {
  tr -d '\r' <"$WORK/headers" | sed -n "s/^$1: //Ip" | tail -n 1
}

# token CLIENT_ID CLIENT_SECRET: an access token (OAuth2 client credentials), from the token endpoint.
token() {
  local status
  status=$(curl -sS -o "$WORK/answer" -w '%{http_code}' -u "$1:$2" -d grant_type=client_credentials "$URL/connect/token")
  checked 200 POST /connect/token "$status" | jq -r .access_token
}

checked() {
  printf '  %-6s %-72s → %s\n' "$2" "$3" "$4" >&2
  if [ "$4" != "$1" ]; then
    echo "  expected $1; the API answered:" >&2
    jq . "$WORK/answer" >&2 2>/dev/null || cat "$WORK/answer" >&2
    return 1
  fi
  cat "$WORK/answer"
}

# --- 1. A token for the administrator ------------------------------------------------------------------
echo "1. The administrator's token"
ADMIN=$(token "$ADMIN_ID" "$ADMIN_SECRET")

# --- 2. Organisations and their clients ------------------------------------------------------------------
echo "2. Organisations of a département with no EMS yet (one EMS per département), and their clients"
DEPT=$(AS=$ADMIN call 200 GET '/api/v1/instances?limit=500' | jq -r '[.items[].departement] as $used
  | [range(1; 96) | tostring | if length == 1 then "0" + . else . end | select(. != "20")] - $used | first')
PREFET=$(AS=$ADMIN call 201 POST /api/v1/organisations "$(jq -n --arg d "$DEPT" --arg code "pref-$DEPT-$RUN" \
  '{kind: "prefet", code: $code, name: "Préfecture", departement: $d}')" | jq -r .id)
PROCUREUR=$(AS=$ADMIN call 201 POST /api/v1/organisations "$(jq -n --arg d "$DEPT" --arg code "parquet-$DEPT-$RUN" \
  '{kind: "procureur", code: $code, name: "Parquet du tribunal judiciaire", departement: $d}')" | jq -r .id)
POLICE=$(AS=$ADMIN call 201 POST /api/v1/organisations "$(jq -n --arg d "$DEPT" --arg code "ddsp-$DEPT-$RUN" \
  '{kind: "police-nationale", code: $code, name: "Direction départementale de la sécurité publique", departement: $d}')" | jq -r .id)
GENDARMERIE=$(AS=$ADMIN call 201 POST /api/v1/organisations "$(jq -n --arg d "$DEPT" --arg code "ggd-$DEPT-$RUN" \
  '{kind: "gendarmerie-nationale", code: $code, name: "Groupement de gendarmerie départementale", departement: $d}')" | jq -r .id)
MAIRIE=$(AS=$ADMIN call 201 POST /api/v1/organisations "$(jq -n --arg d "$DEPT" --arg code "mairie-$DEPT-$RUN" --arg commune "${DEPT}101" \
  '{kind: "maire", code: $code, name: "Mairie", departement: $d, communeInsee: $commune}')" | jq -r .id)
AUDITEUR=$(AS=$ADMIN call 201 POST /api/v1/organisations "$(jq -n --arg code "audit-$RUN" \
  '{kind: "auditeur", code: $code, name: "Délégué à la protection des données"}')" | jq -r .id)

# Each client's secret is shown once, in the answer to its creation; the tour turns it into a token at once.
PREFET_CLIENT=$(AS=$ADMIN call 201 POST /api/v1/clients "$(jq -n --arg org "$PREFET" \
  '{organisationId: $org, displayName: "Logiciel de la préfecture", scopes: ["governance", "exchange", "follow-up", "penal-policy"]}')")
PROCUREUR_CLIENT=$(AS=$ADMIN call 201 POST /api/v1/clients "$(jq -n --arg org "$PROCUREUR" \
  '{organisationId: $org, displayName: "Logiciel du parquet", scopes: ["governance", "exchange", "follow-up", "penal-policy"]}')")
POLICE_CLIENT=$(AS=$ADMIN call 201 POST /api/v1/clients "$(jq -n --arg org "$POLICE" \
  '{organisationId: $org, displayName: "Logiciel de la police", scopes: ["governance", "exchange", "follow-up", "penal-policy"]}')")
GENDARMERIE_CLIENT=$(AS=$ADMIN call 201 POST /api/v1/clients "$(jq -n --arg org "$GENDARMERIE" \
  '{organisationId: $org, displayName: "Logiciel de la gendarmerie", scopes: ["governance", "exchange"]}')")
AUDITEUR_CLIENT=$(AS=$ADMIN call 201 POST /api/v1/clients "$(jq -n --arg org "$AUDITEUR" \
  '{organisationId: $org, displayName: "Outil du DPD", scopes: ["audit"]}')")
PREFET_TOKEN=$(token "$(jq -r .clientId <<<"$PREFET_CLIENT")" "$(jq -r .clientSecret <<<"$PREFET_CLIENT")")
PROCUREUR_TOKEN=$(token "$(jq -r .clientId <<<"$PROCUREUR_CLIENT")" "$(jq -r .clientSecret <<<"$PROCUREUR_CLIENT")")
POLICE_TOKEN=$(token "$(jq -r .clientId <<<"$POLICE_CLIENT")" "$(jq -r .clientSecret <<<"$POLICE_CLIENT")")
GENDARMERIE_TOKEN=$(token "$(jq -r .clientId <<<"$GENDARMERIE_CLIENT")" "$(jq -r .clientSecret <<<"$GENDARMERIE_CLIENT")")
AUDITEUR_TOKEN=$(token "$(jq -r .clientId <<<"$AUDITEUR_CLIENT")" "$(jq -r .clientSecret <<<"$AUDITEUR_CLIENT")")

# --- 3. An EMS and a CCOFSI, created by the préfet ---------------------------------------------------------
echo "3. The préfet creates the EMS of the département and the CCOFSI of a ZSP"
EMS=$(AS=$PREFET_TOKEN call 201 POST /api/v1/instances "$(jq -n --arg d "$DEPT" --arg prefet "$PREFET" --arg procureur "$PROCUREUR" \
  '{kind: "ems", departement: $d, name: "État-major de sécurité", prefetOrganisationId: $prefet, procureurOrganisationIds: [$procureur]}')" | jq -r .id)
CCOFSI=$(AS=$PREFET_TOKEN call 201 POST /api/v1/instances "$(jq -n --arg d "$DEPT" --arg prefet "$PREFET" --arg procureur "$PROCUREUR" \
  '{kind: "ccofsi", departement: $d, name: "CCOFSI du centre-ville", prefetOrganisationId: $prefet, procureurOrganisationIds: [$procureur],
    zsp: {name: "Centre-ville", communes: [($d + "101"), ($d + "102")], forces: ["police-nationale", "gendarmerie-nationale"]}}')" | jq -r .id)

# --- 4. Members -------------------------------------------------------------------------------------------
echo "4. The forces join the CCOFSI (COMP-2); the police take part in the EMS as a participant, not a member (COMP-1, COMP-4)"
AS=$PREFET_TOKEN call 201 POST "/api/v1/instances/$CCOFSI/members" "$(jq -n --arg org "$POLICE" '{organisationId: $org}')" >/dev/null
AS=$PREFET_TOKEN call 201 POST "/api/v1/instances/$CCOFSI/members" "$(jq -n --arg org "$GENDARMERIE" '{organisationId: $org}')" >/dev/null
AS=$POLICE_TOKEN call 200 GET "/api/v1/instances/$CCOFSI" | jq -c '{kind, name, composition}'
AS=$PREFET_TOKEN call 422 POST "/api/v1/instances/$EMS/members" "$(jq -n --arg org "$POLICE" '{organisationId: $org}')" | jq -c '{ruleId, detail}'
AS=$PREFET_TOKEN call 201 POST "/api/v1/instances/$EMS/participants" "$(jq -n --arg org "$POLICE" '{organisationId: $org}')" >/dev/null

# --- 5. The règlement intérieur and its acknowledgements ----------------------------------------------------
echo "5. The préfet records the CDPD's règlement intérieur for the département (CONF-3); each member acknowledges it (CONF-4)"
RULES=$(AS=$PREFET_TOKEN call 201 POST /api/v1/internal-rules "$(jq -n --arg d "$DEPT" \
  '{departement: $d, version: "2026-1", adoptedByCdpdOn: "2026-01-15", cdpdDeliberationReference: "CDPD délibération 2026-01",
    proposedBy: "Groupe de travail « échanges d’informations » du CDPD", inForceFrom: "2026-01-15",
    text: "Les informations confidentielles échangées ne sont communiquées à aucun tiers."}')" | jq -r .id)
AS=$PREFET_TOKEN call 201 POST "/api/v1/instances/$CCOFSI/internal-rules/current/acknowledgements" >/dev/null
AS=$POLICE_TOKEN call 201 POST "/api/v1/instances/$CCOFSI/internal-rules/current/acknowledgements" >/dev/null
AS=$GENDARMERIE_TOKEN call 201 POST "/api/v1/instances/$CCOFSI/internal-rules/current/acknowledgements" >/dev/null

# --- 6. An exchange that arrives ----------------------------------------------------------------------------
echo "6. The préfet sends a note to the police; the police read it and download its attachment"
NOTE=$(printf 'Point de situation : trois rassemblements signalés rue des Lilas cette semaine.\n' | base64 | tr -d '\n')
EXCHANGE=$(AS=$PREFET_TOKEN WHY="Suivi des rassemblements du centre-ville" call 201 POST "/api/v1/instances/$CCOFSI/exchanges" "$(jq -n --arg police "$POLICE" --arg note "$NOTE" \
  '{subject: "Situation hebdomadaire", body: "Voir la note jointe.", recipientOrganisationIds: [$police],
    attachments: [{fileName: "note.txt", mediaType: "text/plain", documentKind: "note", contentBase64: $note}]}')")
EXCHANGE_ID=$(jq -r .id <<<"$EXCHANGE")
echo "Location: $(header Location)"
AS=$POLICE_TOKEN WHY="Suivi des rassemblements du centre-ville" call 200 GET "/api/v1/exchanges/$EXCHANGE_ID" | jq -c '{subject, sentAt, attachments: [.attachments[].fileName]}'
AS=$POLICE_TOKEN WHY="Suivi des rassemblements du centre-ville" call 200 GET "/api/v1/exchanges/$EXCHANGE_ID/attachments/$(jq -r '.attachments[0].id' <<<"$EXCHANGE")"

# --- 7. Refused: a third party (CONF-1) -------------------------------------------------------------------------
echo "7. To the mairie, which is not a member of the CCOFSI: refused (CONF-1)"
AS=$PREFET_TOKEN WHY="Suivi des rassemblements du centre-ville" call 403 POST "/api/v1/instances/$CCOFSI/exchanges" "$(jq -n --arg mairie "$MAIRIE" \
  '{subject: "Situation hebdomadaire", body: "Trois rassemblements signalés.", recipientOrganisationIds: [$mairie]}')" \
  | jq -c '{ruleId, legalBasis, detail}'

# --- 8. Refused: a criminal-procedure document (CONF-2) --------------------------------------------------------
echo "8. A procès-verbal in a PDF: refused (CONF-2)"
# pdf FILE LINE...: a one-page PDF showing these lines (what a scanner-less office software would produce).
pdf() {
  local file=$1 text="BT /F1 11 Tf 14 TL 60 780 Td" out offsets=() i line
  shift
  for line in "$@"; do text+=" ($line) '"; done
  text+=" ET"
  local objects=("<< /Type /Catalog /Pages 2 0 R >>" "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
    "<< /Length ${#text} >>"$'\n'"stream"$'\n'"$text"$'\n'"endstream" "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
  out="%PDF-1.4"$'\n'
  for i in "${!objects[@]}"; do offsets+=("${#out}"); out+="$((i + 1)) 0 obj"$'\n'"${objects[$i]}"$'\n'"endobj"$'\n'; done
  local xref=${#out}
  out+="xref"$'\n'"0 $((${#objects[@]} + 1))"$'\n'"0000000000 65535 f "$'\n'
  for i in "${offsets[@]}"; do out+="$(printf '%010d 00000 n ' "$i")"$'\n'; done
  out+="trailer << /Size $((${#objects[@]} + 1)) /Root 1 0 R >>"$'\n'"startxref"$'\n'"$xref"$'\n'"%%EOF"$'\n'
  printf '%s' "$out" >"$file"
}
pdf "$WORK/audition.pdf" "PROCES-VERBAL D'AUDITION" "Nous soussigne, officier de police judiciaire," "entendons la personne ci-apres designee."
AS=$PREFET_TOKEN WHY="Suivi des rassemblements du centre-ville" call 403 POST "/api/v1/instances/$CCOFSI/exchanges" "$(jq -n --arg police "$POLICE" --arg pdf "$(base64 <"$WORK/audition.pdf" | tr -d '\n')" \
  '{subject: "Audition", body: "Pour information.", recipientOrganisationIds: [$police],
    attachments: [{fileName: "audition.pdf", mediaType: "application/pdf", documentKind: "note", contentBase64: $pdf}]}')" \
  | jq -c '{ruleId, legalBasis, markers: [.violations[].markers[]?.label]}'

# --- 9. The auditor reads the access log and verifies an export offline ----------------------------------------
echo "9. The auditor finds every access to the exchange, exports the tour's records and verifies them offline"
AS=$AUDITEUR_TOKEN call 200 GET "/api/v1/audit/events?resourceId=$EXCHANGE_ID" | jq -c '.items[] | {seq, action, organisationKind, outcome}'
AS=$AUDITEUR_TOKEN call 200 GET "/api/v1/audit/events/export?format=ndjson&from=$START" >"$WORK/export.ndjson"
AS=$AUDITEUR_TOKEN call 200 GET /api/v1/audit/keys | jq -r '.items[].publicKeyPem' >"$WORK/keys.pem"
dotnet run --project src/Api --no-build --no-launch-profile -- audit verify "$WORK/export.ndjson" --public-key "$WORK/keys.pem"

# --- 10. A retry under an Idempotency-Key acts once ------------------------------------------------------------
echo "10. A retry under the same Idempotency-Key gets the first answer back"
KEY=$(cat /proc/sys/kernel/random/uuid)
MEDIATION=$(jq -n --arg d "$DEPT" --arg code "mediation-$DEPT-$RUN" '{kind: "association", code: $code, name: "Association de médiation", departement: $d}')
AS=$ADMIN call 201 POST /api/v1/organisations "$MEDIATION" -H "Idempotency-Key: $KEY" | jq -c '{id}'
AS=$ADMIN call 201 POST /api/v1/organisations "$MEDIATION" -H "Idempotency-Key: $KEY" | jq -c '{id}'
test "$(header Idempotency-Replayed)" = true && echo "replayed: one organisation created"

echo "The tour is complete: every step answered as expected."
