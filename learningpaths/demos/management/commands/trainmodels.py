"""``manage.py trainmodels``: train and export the server demo models (skips ones already built)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ...inference import reset_runners
from ...registry import DEMOS, model_card, model_path, models_dir

MIN_ACCURACY = {"digits-cnn": 0.93, "digits-mlp": 0.90}


class Command(BaseCommand):
    help = "Train the demo models with the engine, export them to ONNX and write their model cards."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help=f"models to train (default: all of {sorted(DEMOS)})")
        parser.add_argument("--force", action="store_true", help="retrain even when a model exists")
        parser.add_argument("--epochs", type=int, default=30)

    def handle(self, *args, names, force, epochs, **options):
        import engine

        from ...training import train

        unknown = sorted(set(names) - set(DEMOS))
        if unknown:
            raise CommandError(f"unknown model(s) {unknown}; choose from {sorted(DEMOS)}")
        for name in names or sorted(DEMOS):
            card = model_card(name)
            if DEMOS[name].generator:  # issue 24's word transformer: its own trainer and checks (wordgen.py)
                self._train_words(card, force)
                continue
            if not force and model_path(name).is_file() and card and card.get("engine_version") == engine.__version__:
                self.stdout.write(f"{name}: up to date (test accuracy {card['test_accuracy']}); --force retrains")
                continue
            result = train(name, epochs=epochs, log=self.stdout.write)
            if result.max_abs_diff > 1e-5:
                raise CommandError(f"{name}: engine and ONNX Runtime disagree by {result.max_abs_diff:.2e} (> 1e-5)")
            if result.accuracy < MIN_ACCURACY[name]:
                raise CommandError(f"{name}: test accuracy {result.accuracy:.3f} is below {MIN_ACCURACY[name]}")
        reset_runners()

    def _train_words(self, card, force):
        import engine

        from ... import wordgen

        built = model_path(wordgen.NAME).is_file() and card and card.get("engine_version") == engine.__version__
        if built and not force:
            self.stdout.write(
                f"{wordgen.NAME}: up to date (validation loss {card['validation_loss']}); --force retrains"
            )
            return
        try:
            wordgen.train(out_dir=models_dir(), log=self.stdout.write)
            wordgen.card_check(model_card(wordgen.NAME))
        except (ValueError, wordgen.words.WordListMissing) as exc:
            raise CommandError(str(exc)) from exc
