// Browser: bundle this file (esbuild, vite…) as main.js next to index.html.
// Credentials come from the page's configuration; here, from the query string for the demo.
import { createAuth, createClient, getOrganization } from "genesys-cloud-auth";

const params = new URLSearchParams(location.search);
const out = document.getElementById("out") as HTMLElement;
const auth = createAuth({
  clientId: params.get("clientId") ?? "",
  clientSecret: params.get("clientSecret") ?? "",
  loginUrl: params.get("loginUrl") ?? undefined,
  apiUrl: params.get("apiUrl") ?? undefined,
  dangerouslyAllowBrowser: true, // read the warning on the page
});
try {
  const org = await getOrganization(createClient({ auth }));
  out.textContent = `browser: organization "${org.name}" in ${auth.region}`;
} catch (error) {
  out.textContent = `browser: failed: ${error instanceof Error ? error.message : String(error)}`;
}
