// Must NOT compile (tsc --strict): an exchange without its subject and body, which the API requires.
// .ci/typescript checks that tsc refuses it and names the missing member.
import type { components } from "../src/etatmajor.js";

export const send: components["schemas"]["ExchangeBody"] = { recipientOrganisationIds: ["8d4b1f3e-2c6a-4b7e-9a51-0f3c2d1e4b5a"] };
