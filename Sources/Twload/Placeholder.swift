public enum TwloadPlaceholder {}
