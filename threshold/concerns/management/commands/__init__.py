"""The concerns app's commands: the anonymous-intake job."""
