# Continues the previous example, once the head has
# been trained with the base frozen.

# Unfreeze the base as a whole, then freeze all but its
# last four layers (block5_conv1..3 and block5_pool).
base_model.trainable = True
for layer in base_model.layers[:-4]:
    layer.trainable = False

# `trainable` changes take effect only after compiling
# again. Fine-tuning needs a much lower learning rate
# (and `lr=` is gone: the argument is `learning_rate=`).
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-5),
    loss="categorical_crossentropy",
    metrics=["accuracy"],
)
model.fit(train_ds, validation_data=val_ds, epochs=5)
