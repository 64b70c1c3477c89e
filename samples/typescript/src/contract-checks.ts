// What the generated types refuse, checked by every `tsc --strict` of this project: each line below must be an error,
// or `@ts-expect-error` itself fails the build.
import type { components } from "./etatmajor.js";

type Schemas = components["schemas"];

// @ts-expect-error an exchange needs its subject and its body
export const noSubject: Schemas["ExchangeBody"] = { body: "Voir la note jointe." };

// @ts-expect-error an organisation's kind is one of a closed set
export const unknownKind: Schemas["CreateOrganisation"] = { code: "x", name: "Mairie", kind: "mayor" };

// @ts-expect-error a client needs the organisation it acts for
export const noOrganisation: Schemas["CreateClient"] = { displayName: "Logiciel", scopes: ["exchange"] };

// @ts-expect-error an instance is an ems or a ccofsi
export const unknownInstance: Schemas["CreateInstance"] = { kind: "cls", name: "x", prefetOrganisationId: "8d4b1f3e-2c6a-4b7e-9a51-0f3c2d1e4b5a" };

// @ts-expect-error a client's scopes are a closed set
export const unknownScope: Schemas["CreateClient"] = { organisationId: "8d4b1f3e-2c6a-4b7e-9a51-0f3c2d1e4b5a", displayName: "Logiciel", scopes: ["everything"] };

// @ts-expect-error an attachment's media type is one the policy can read (pdf, text, png, jpeg)
export const unknownMediaType: Schemas["AttachmentInput"] = { fileName: "a.docx", mediaType: "application/msword", documentKind: "note", contentBase64: "" };
