# Everything a machine needs comes from here: `make run` (set up + main job), `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup run test lint train bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,ray,ocr]'
	$(BIN)/python -m pip install -q --no-deps 'rapidocr-onnxruntime==1.4.4'
	touch $(STAMP)

# The main job: extract the shipped sample reports with the shipped default model.
run: setup
	$(BIN)/gongkai extract samples/ -o out/samples --method auto
	@echo "outputs in out/samples/"

# Retrain the shipped model (README "Retraining the model"): stage 1 from scratch on generated
# reports -> models/synth, stage 2 fine-tuned on the annotated real reports -> models/default.
train: setup
	$(BIN)/gongkai train --config training/default.json -o models/synth
	$(BIN)/gongkai train --config training/finetune_real.json --base-model models/synth -o models/default

lint: setup
	$(BIN)/ruff check .

test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) out .pytest_cache
