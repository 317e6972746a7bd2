import keras
from keras import layers
from keras.applications import VGG16
from keras.applications.vgg16 import preprocess_input

IMAGE_SIZE = (224, 224)

# One folder per class (path/to/train_data/<class_name>/*.jpg); 20% held back for validation.
train_ds, val_ds = keras.utils.image_dataset_from_directory(
    "path/to/train_data",
    image_size=IMAGE_SIZE,
    batch_size=32,
    label_mode="categorical",  # one-hot labels, to match categorical_crossentropy
    validation_split=0.2,
    subset="both",
    seed=42,
)
# VGG16 expects its own input scaling (BGR, ImageNet means subtracted), not x / 255.
train_ds = train_ds.map(lambda x, y: (preprocess_input(x), y))
val_ds = val_ds.map(lambda x, y: (preprocess_input(x), y))

# The convolutional base with ImageNet weights, without its 1,000-class top.
base_model = VGG16(weights="imagenet", include_top=False, input_shape=(224, 224, 3))
base_model.trainable = False  # freeze every layer of the base

inputs = layers.Input(shape=(224, 224, 3))
x = layers.RandomFlip("horizontal")(inputs)  # augmentation runs during training only
x = layers.RandomRotation(20 / 360)(x)  # up to +/-20 degrees (factor is a fraction of a full turn)
x = base_model(x, training=False)  # keep the base in inference mode
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dense(1024, activation="relu")(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss="categorical_crossentropy",
    metrics=["accuracy"],
)
model.fit(train_ds, validation_data=val_ds, epochs=5)
