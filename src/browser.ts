/**
 * `genesys-cloud-auth/browser`: users sign in to a page with the authorization code grant and PKCE
 * (`createBrowserAuth`), and the page calls the API as them (`createClient`). No secret, no
 * node-only code.
 *
 * @module
 */

export * from "./exports.ts";
export {
  type BrowserAuth,
  type CreateBrowserAuthOptions,
  createBrowserAuth,
  type SignInOptions,
} from "./signin/browser.ts";
export type { StorageLike, StorageOption } from "./signin/storage.ts";
