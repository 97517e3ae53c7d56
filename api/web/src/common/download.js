// The service's documents (PDF, GET /documents/...) saved as files: fetched with the tab's
// bearer token (a plain link cannot send one), then handed to the browser as a blob through
// a temporary anchor, under the name the service gives (its Chinese 文号).
import { el } from "./dom.js";

function givenName(response) {
  const found = /filename\*=UTF-8''([^;]+)/.exec(response.headers.get("content-disposition") || "");
  return found ? decodeURIComponent(found[1]) : "";
}

async function refusal(response) {
  try {
    const body = await response.json();
    return body.errors[0].message;
  } catch {
    return `HTTP ${response.status}`;
  }
}

export async function saveDocument(token, path, fallbackName) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(await refusal(response));
  const url = URL.createObjectURL(await response.blob());
  const anchor = el("a", { href: url, download: givenName(response) || fallbackName, hidden: true });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// A button that saves the document at `path`; what went wrong is said beside it.
export function documentButton(token, path, fallbackName, shown) {
  const said = el("span", { class: "field-problem", role: "alert" });
  const button = el("button", { type: "button", class: "document", dataset: { document: path } }, shown);
  button.addEventListener("click", async () => {
    button.disabled = true;
    said.textContent = "";
    try {
      await saveDocument(token, button.dataset.document, fallbackName);
    } catch (error) {
      said.textContent = `未能生成文书：${error.message}`;
    } finally {
      button.disabled = false;
    }
  });
  return el("span", { class: "document-save" }, button, said);
}
