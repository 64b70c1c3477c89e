#!/usr/bin/env bash
# Sourced by bench/run.sh and bench/compare.sh: start_world PORT DLL WORKDIR starts an API (Release, Development
# settings, a fresh SQLite file in WORKDIR, loopback) and gives it the benchmark's world: an EMS (the audited read), a
# CCOFSI with the police as a member and the règlement acknowledged (the send), a designation (its read). It sets
# world_api (the process id), base, ems, ccofsi, police, designation, prefet_token, procureur_token, police_token, and
# writes WORKDIR/send.lua (wrk's script of a send).

start_world() {
  local port=$1 dll=$2 dir=$3
  base="http://127.0.0.1:$port"
  # The per-client rate limit stays on the path, with room for the load (one client sends it all).
  ASPNETCORE_ENVIRONMENT=Development \
  ASPNETCORE_URLS="$base" \
  ConnectionStrings__EtatMajor="Data Source=$dir/bench.db" \
  Bootstrap__AdminClientId=bench-admin Bootstrap__AdminClientSecret=bench-admin-secret \
  Logging__LogLevel__Default=Warning Swagger__Enabled=false Jobs__RunOnSchedule=false \
  RateLimiting__PerClient__PermitsPerSecond=1000000 RateLimiting__PerClient__Burst=1000000 \
    dotnet "$dll" >"$dir/api.log" 2>&1 &
  world_api=$!
  for _ in $(seq 120); do curl -sf "$base/health/ready" >/dev/null && break; sleep 0.5; done

  json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
  token() { curl -sf -u "$1:$2" -d grant_type=client_credentials "$base/connect/token" | json '["access_token"]'; }
  post() { curl -sf -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -H 'X-Justification: banc d’essai' -d "$3" "$base$2"; }
  organisation() { post "$admin" /api/v1/organisations "{\"code\":\"bench-$1\",\"name\":\"$1\",\"kind\":\"$1\",\"departement\":\"33\"}" | json '["id"]'; }
  client() {
    local answer
    answer=$(post "$admin" /api/v1/clients "{\"organisationId\":\"$1\",\"displayName\":\"bench\",\"scopes\":[\"governance\",\"exchange\",\"follow-up\"]}")
    token "$(echo "$answer" | json '["clientId"]')" "$(echo "$answer" | json '["clientSecret"]')"
  }
  local admin prefet procureur
  admin=$(token bench-admin bench-admin-secret)
  prefet=$(organisation prefet); procureur=$(organisation procureur); police=$(organisation police-nationale)
  prefet_token=$(client "$prefet"); procureur_token=$(client "$procureur"); police_token=$(client "$police")
  ems=$(post "$prefet_token" /api/v1/instances "{\"kind\":\"ems\",\"departement\":\"33\",\"name\":\"EMS\",\"prefetOrganisationId\":\"$prefet\",\"procureurOrganisationIds\":[\"$procureur\"]}" | json '["id"]')
  ccofsi=$(post "$prefet_token" /api/v1/instances "{\"kind\":\"ccofsi\",\"departement\":\"33\",\"name\":\"CCOFSI\",\"prefetOrganisationId\":\"$prefet\",\"procureurOrganisationIds\":[\"$procureur\"],\"zsp\":{\"name\":\"Centre\",\"communes\":[\"33063\"]}}" | json '["id"]')
  post "$prefet_token" "/api/v1/instances/$ccofsi/members" "{\"organisationId\":\"$police\"}" >/dev/null
  post "$prefet_token" /api/v1/internal-rules '{"departement":"33","version":"1","adoptedByCdpdOn":"2026-01-15","cdpdDeliberationReference":"CDPD 2026-01","proposedBy":"CDPD","inForceFrom":"2026-01-15","text":"Aucun tiers."}' >/dev/null
  for t in "$prefet_token" "$procureur_token" "$police_token"; do post "$t" "/api/v1/instances/$ccofsi/internal-rules/current/acknowledgements" '' >/dev/null; done
  designation=$(post "$procureur_token" "/api/v1/instances/$ccofsi/designations" '{"person":{"lastName":"Banc","firstNames":"Essai","birthDate":"1990-01-01"},"releasedOn":"2026-11-02","japOpinion":{"favourable":true,"givenOn":"2026-10-20","judgeCapacity":"jap","reference":"JAP-1"},"obligations":[{"kind":"obligation","description":"Pointer chaque lundi","imposedBy":"jap","decisionDate":"2026-10-20","from":"2026-11-02"}]}' | json '["id"]')

  cat >"$dir/send.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"subject":"Point de situation","body":"Trois rassemblements signalés rue des Lilas.","recipientOrganisationIds":["$police"]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $prefet_token"
wrk.headers["X-Justification"] = "banc d'essai"
LUA
}
