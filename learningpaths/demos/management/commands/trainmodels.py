"""``manage.py trainmodels``: train and export the server demo models, each only when its data, code
or settings changed since it was built (the ``training_key`` in its model card)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ...inference import reset_runners
from ...registry import DEMOS, model_card, model_path


class Command(BaseCommand):
    help = "Train the demo models with the engine, export them to ONNX and write their model cards."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="models to train (default: all)")
        parser.add_argument("--force", action="store_true", help="retrain even when a model is up to date")
        parser.add_argument("--epochs", type=int, default=None, help="override the models' own number of epochs")

    def handle(self, *args, names, force, epochs, **options):
        from ...glyphs import FontsMissing
        from ...training import TRAINERS, training_key
        from ...words import WordListMissing

        unknown = sorted(set(names) - set(TRAINERS))
        if unknown:
            raise CommandError(f"unknown model(s) {unknown}; choose from {sorted(TRAINERS)}")
        for name in names or list(TRAINERS):
            trainer = TRAINERS[name]
            settings = dict(trainer.settings)
            if epochs is not None and "epochs" in settings:
                settings["epochs"] = epochs
            try:
                key = training_key(name, settings)
                card = model_card(name)
                # Every file the trainer writes: an autoencoder's decoder graph too.
                files = [model_path(n) for n in (name, DEMOS[name].decoder) if n]
                if not force and all(f.is_file() for f in files) and card and card.get("training_key") == key:
                    self.stdout.write(
                        f"{name}: up to date ({trainer.metric.replace('_', ' ')} {card.get(trainer.metric)}); "
                        "--force retrains"
                    )
                    continue
                result = trainer.train(name, settings=settings, key=key, log=self.stdout.write)
                if trainer.check is not None:
                    trainer.check(model_card(name))
                    continue
            except (FontsMissing, WordListMissing, ValueError) as exc:
                raise CommandError(f"{exc}" if str(exc).startswith(name) else f"{name}: {exc}") from exc
            if result.max_abs_diff > 1e-5:
                raise CommandError(f"{name}: engine and ONNX Runtime disagree by {result.max_abs_diff:.2e} (> 1e-5)")
            if result.accuracy < trainer.min_accuracy:
                raise CommandError(f"{name}: test accuracy {result.accuracy:.3f} is below {trainer.min_accuracy}")
        reset_runners()
