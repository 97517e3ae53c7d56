// GraphiQL, bundled with the pages so that it works with no internet. Queries and
// mutations go over HTTP, subscriptions over graphql-transport-ws, both to this service,
// with the Authorization header written in GraphiQL's headers pane (filled in from the
// tab's token, or one given as #token=... in the URL).
import React from "react";
import { createRoot } from "react-dom/client";
import { GraphiQL } from "graphiql";
import { getOperationAST, parse } from "graphql";
import { createClient } from "graphql-ws";
import "graphiql/graphiql.css";
import "./page.css";
import { tabToken } from "../common/token.js";

const sockets = new Map(); // by Authorization value: one connection for each token used

function socketFor(authorization) {
  if (!sockets.has(authorization)) {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    sockets.set(
      authorization,
      createClient({ url: `${scheme}//${window.location.host}/graphql`, connectionParams: { authorization } }),
    );
  }
  return sockets.get(authorization);
}

function isSubscription(query, operationName) {
  try {
    const operation = getOperationAST(parse(query), operationName || undefined);
    return operation !== null && operation !== undefined && operation.operation === "subscription";
  } catch (error) {
    return false; // the server names what is wrong with it
  }
}

async function overHttp(params, headers) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(params),
  });
  return response.json();
}

function fetcher(params, options = {}) {
  const headers = (options && options.headers) || {};
  if (!isSubscription(params.query, params.operationName)) return overHttp(params, headers);
  const authorization = headers.Authorization || headers.authorization || "";
  return socketFor(authorization).iterate(params);
}

const token = tabToken();
const defaultHeaders = JSON.stringify({ Authorization: `Bearer ${token || "<token>"}` }, null, 2);
const defaultQuery = `# 营商环境监督台账 GraphQL（离线可用）
# 在下方 Headers 中填入令牌：{"Authorization": "Bearer <token>"}
{
  supervisionOverview {
    asOf
    channels { channel received open overdue onTimeRate }
  }
}
`;

createRoot(document.getElementById("graphiql")).render(
  <GraphiQL fetcher={fetcher} defaultHeaders={defaultHeaders} defaultQuery={defaultQuery} shouldPersistHeaders={false} />,
);
