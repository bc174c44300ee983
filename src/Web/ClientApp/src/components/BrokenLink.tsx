/** The page an emailed or texted link opens when it no longer works: why, in words the reader can act on, and a way on. */
export function BrokenLink({ problem }: { problem: string }) {
  return (
    <main class="signin">
      <section aria-labelledby="broken-link-title">
        <h1 id="broken-link-title">This link does not work</h1>
        <p role="alert" class="error">
          {problem}
        </p>
        <p>
          <a href="/">Go to sign-in</a>
        </p>
      </section>
    </main>
  );
}
