// The meeting page: "Play passage" plays an interview's recording from the
// passage's start and pauses at its end (the <audio> also carries a media
// fragment, #t=start,end, so it opens at the right place without this script).

function playPassage(audio) {
  const start = Number(audio.dataset.start) / 1000;
  const end = Number(audio.dataset.end) / 1000;
  const stopAtEnd = () => {
    if (audio.currentTime >= end) {
      audio.pause();
      audio.removeEventListener("timeupdate", stopAtEnd);
    }
  };
  audio.addEventListener("timeupdate", stopAtEnd);
  audio.currentTime = start;
  audio.play();
}

for (const button of document.querySelectorAll(".js-play-passage")) {
  const audio = button.closest(".passage").querySelector("audio.passage-audio");
  button.addEventListener("click", () => playPassage(audio));
}
