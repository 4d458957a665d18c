from contractkit.cli import main

main()
