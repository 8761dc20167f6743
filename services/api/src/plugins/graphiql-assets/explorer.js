/*
 * The GraphQL explorer's start-up: GraphiQL (its UMD bundle, served by this service) on /graphql.
 * The API key goes into GraphiQL's headers editor; it is sent with each request and never stored
 * (shouldPersistHeaders: false, and the query history is kept without headers).
 */
/* global React, ReactDOM, GraphiQL */
(() => {
  const endpoint = '/graphql';

  /** Posts an operation; a response that is not JSON is shown as an error, not thrown. */
  async function fetcher(params, options) {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...options?.headers },
      body: JSON.stringify(params),
    });
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      return { errors: [{ message: `HTTP ${response.status}: ${text.slice(0, 500)}` }] };
    }
  }

  const defaultQuery = `# Sparring's GraphQL API. Put your API key in the Headers tab below
# ("Authorization": "Bearer sk_…"), then run this with the ▶ button or Ctrl-Enter.
# After changing the key, reload the schema (the ↻ button on the left) for the docs
# and completion.

{
  leaders(first: 5) {
    nodes {
      id
      name
    }
    nextCursor
  }
}
`;

  /**
   * GraphiQL's storage (tabs, query history) in localStorage, with every `headers` value emptied:
   * the history would otherwise keep the API key of each query run.
   */
  const storage = {
    getItem: (key) => localStorage.getItem(key),
    setItem: (key, value) => {
      let stored = value;
      try {
        stored = JSON.stringify(JSON.parse(value), (k, v) =>
          k === 'headers' && typeof v === 'string' ? null : v,
        );
      } catch {
        // Not JSON (a plain setting): stored as it is.
      }
      localStorage.setItem(key, stored);
    },
    removeItem: (key) => localStorage.removeItem(key),
    clear: () => {
      for (const key of Object.keys(localStorage))
        if (key.startsWith('graphiql:')) localStorage.removeItem(key);
    },
    get length() {
      return localStorage.length;
    },
    key: (index) => localStorage.key(index),
  };

  const root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultQuery,
      defaultHeaders: JSON.stringify({ Authorization: 'Bearer ' }, null, 2),
      defaultEditorToolsVisibility: 'headers',
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      storage,
    }),
  );
})();
