"""The transformer: tokenizer, model, training and checkpoints. Imports `dsl`, never `synth`."""
