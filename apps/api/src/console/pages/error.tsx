import { Document } from "../components/layout.js";

export function ErrorPage(props: {
  status: number;
  title: string;
  detail: string;
  fields?: { location: string; message: string }[] | undefined;
  requestId: string;
}) {
  return (
    <Document title={props.title}>
      <main id="main" class="narrow">
        <h1>{props.title}</h1>
        <p role="alert">{props.detail}</p>
        {props.fields && props.fields.length > 0 ? (
          <ul>
            {props.fields.map((f) => (
              <li>
                <code>{f.location}</code>: {f.message}
              </li>
            ))}
          </ul>
        ) : null}
        <p class="muted">
          Status {props.status} · request id <code>{props.requestId}</code>
        </p>
        <p>
          <a href="/app">Back to the console</a>
        </p>
      </main>
    </Document>
  );
}
