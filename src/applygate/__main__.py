from applygate.cli import main

raise SystemExit(main())
