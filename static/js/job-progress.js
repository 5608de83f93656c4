// The page that says a job is running (templates/_progress.html): asks the job's status every
// second and a half, moves the progress bar, and goes to the result (a PDF, an export, the
// page the work was for) as soon as it is ready. Without this script the page's link does the
// same by hand.
const box = document.querySelector("[data-job-progress]");

if (box) {
  const bar = box.querySelector("progress");
  const state = box.querySelector("[role=status]");
  const words = JSON.parse(box.dataset.words);
  const every = 1500;
  let last = null;

  const show = (status) => {
    bar.value = status.percent;
    bar.textContent = `${status.percent} %`;
    // Said again only when it changes, so that a screen reader is not told every poll.
    if (status.state !== last) {
      state.textContent = words[status.state] || words.queued;
      last = status.state;
    }
  };

  const poll = async () => {
    try {
      const answer = await fetch(box.dataset.statusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (answer.ok) {
        const status = await answer.json();
        show(status);
        if (status.state === "ready" || status.state === "missing") {
          // Missing: done and replaced, or the job was lost; the result's address knows.
          window.location.assign(status.url);
          return;
        }
        if (status.state === "failed") return;
      }
    } catch {
      // A network hiccup: the next poll tries again.
    }
    window.setTimeout(poll, every);
  };

  window.setTimeout(poll, every);
}
