// Plays an interview's recording from a clicked turn, and marks the turn
// being heard. Turns carry their start in milliseconds (data-t-start).

const audio = document.querySelector("audio.interview-audio");

function timedTurns() {
  return [...document.querySelectorAll(".turn[data-t-start]")].map((turn) => ({
    turn,
    start: Number(turn.dataset.tStart) / 1000,
  }));
}

if (audio) {
  const turns = timedTurns();

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button.turn-play");
    if (!button) return;
    audio.currentTime = Number(button.dataset.tStart) / 1000;
    audio.play();
  });

  audio.addEventListener("timeupdate", () => {
    const now = audio.currentTime;
    let playing = null;
    for (const entry of turns) {
      if (entry.start <= now) playing = entry.turn;
      else break;
    }
    for (const entry of turns) entry.turn.classList.toggle("turn-playing", entry.turn === playing);
  });
}
